package org.ionloop.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A located node of a {@link SpecDocument}. Every accessor that can fail throws a
 * {@link SpecException} naming this file, the field's line and its path.
 */
public final class SpecNode {
  private final SpecDocument doc;
  private final String path;
  private final JsonNode node;

  SpecNode(SpecDocument doc, String path, JsonNode node) {
    this.doc = doc;
    this.path = path;
    this.node = node;
  }

  public String path() {
    return path;
  }

  public JsonNode raw() {
    return node;
  }

  public int line() {
    return doc.lineOf(path);
  }

  /** A failure located at this node. */
  public SpecException error(String problem) {
    return new SpecException(doc.file(), line(), path.isEmpty() ? "(root)" : path, problem);
  }

  private String childPath(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  /** A child that must exist. */
  public SpecNode required(String name) {
    if (!has(name)) {
      throw new SpecException(doc.file(), line(), childPath(name), "is required");
    }
    return new SpecNode(doc, childPath(name), node.get(name));
  }

  /** A child mapping that must exist. */
  public SpecNode requiredObject(String name) {
    SpecNode child = required(name);
    if (!child.node.isObject()) {
      throw child.error("must be a mapping");
    }
    return child;
  }

  public String requiredText(String name) {
    SpecNode child = required(name);
    if (!child.node.isTextual() || child.node.asText().isBlank()) {
      throw child.error("must be a non-empty string");
    }
    return child.node.asText();
  }

  /**
   * A name that becomes a column or a key (an objective, a measurement): letters, digits and
   * '_', starting with a letter.
   */
  public String requiredColumnName(String name) {
    String text = requiredText(name);
    if (!text.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw required(name).error("must be a name of letters, digits and '_' (it becomes a column), got '"
          + text + "'");
    }
    return text;
  }

  public String optionalText(String name, String fallback) {
    return has(name) ? requiredText(name) : fallback;
  }

  public double requiredDouble(String name) {
    SpecNode child = required(name);
    return child.asDouble();
  }

  public double optionalDouble(String name, double fallback) {
    return has(name) ? requiredDouble(name) : fallback;
  }

  public int requiredInt(String name) {
    // asInt() would wrap: 4294967297 experiments would silently become 1.
    return (int) integral(name, Integer.MAX_VALUE);
  }

  /** A whole number that fits a long (seeds, counters). */
  public long requiredLong(String name) {
    return integral(name, Long.MAX_VALUE);
  }

  /** A whole-number child within ±max (max is Integer.MAX_VALUE or Long.MAX_VALUE). */
  private long integral(String name, long max) {
    SpecNode child = required(name);
    if (!child.node.isIntegralNumber()) {
      throw child.error("must be a whole number, got '" + child.node.asText() + "'");
    }
    boolean fits = max == Integer.MAX_VALUE ? child.node.canConvertToInt() : child.node.canConvertToLong();
    if (!fits) {
      throw child.error("whole number " + child.node.asText() + " is out of range (at most " + max + ")");
    }
    return child.node.asLong();
  }

  public long optionalLong(String name, long fallback) {
    return has(name) ? requiredLong(name) : fallback;
  }

  public int optionalInt(String name, int fallback) {
    return has(name) ? requiredInt(name) : fallback;
  }

  /** The longest duration a user file may state: longer ones are typos or overflow attempts. */
  public static final Duration MAX_DURATION = Duration.ofDays(366);

  /**
   * An ISO-8601 duration such as {@code PT10M}, or a number of seconds; positive and at most
   * {@link #MAX_DURATION}, so that scaling it (a simulated lab's clock, a deadline floor) cannot
   * overflow.
   */
  public Duration optionalDuration(String name, Duration fallback) {
    if (!has(name)) {
      return fallback;
    }
    SpecNode child = required(name);
    Duration d;
    if (child.node.isNumber()) {
      double seconds = child.node.asDouble();
      if (!Double.isFinite(seconds) || seconds <= 0 || seconds > MAX_DURATION.toSeconds()) {
        throw child.error("must be a number of seconds > 0 and at most " + MAX_DURATION.toSeconds()
            + " (366 days), got " + child.node.asText());
      }
      d = Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    } else if (child.node.isTextual()) {
      try {
        d = Duration.parse(child.node.asText());
      } catch (DateTimeParseException | ArithmeticException e) {
        throw child.error("must be an ISO-8601 duration like PT10M or a number of seconds, got '"
            + child.node.asText() + "'");
      }
    } else {
      throw child.error("must be an ISO-8601 duration like PT10M or a number of seconds");
    }
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
      throw child.error("must be > 0 and at most 366 days, got " + child.node.asText());
    }
    return d;
  }

  /** This node as a number. */
  public double asDouble() {
    if (!node.isNumber()) {
      throw error("must be a number, got '" + node.asText() + "'");
    }
    double v = node.asDouble();
    if (!Double.isFinite(v)) {
      throw error("must be finite");
    }
    return v;
  }

  /** Elements of a list child (empty when absent). */
  public List<SpecNode> list(String name) {
    if (!has(name)) {
      return List.of();
    }
    SpecNode child = required(name);
    if (!child.node.isArray()) {
      throw child.error("must be a list");
    }
    List<SpecNode> out = new ArrayList<>();
    for (int i = 0; i < child.node.size(); i++) {
      out.add(new SpecNode(doc, child.path + "[" + i + "]", child.node.get(i)));
    }
    return out;
  }

  /** Entries of a mapping child in file order (empty when absent). */
  public Map<String, SpecNode> entries(String name) {
    if (!has(name)) {
      return Map.of();
    }
    SpecNode child = required(name);
    if (!child.node.isObject()) {
      throw child.error("must be a mapping");
    }
    return child.entries();
  }

  /** Entries of this mapping in file order. */
  public Map<String, SpecNode> entries() {
    Map<String, SpecNode> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), new SpecNode(doc, childPath(e.getKey()), e.getValue()));
    }
    return out;
  }

  /** Rejects fields this spec does not know, so typos do not pass silently. */
  public void allowOnly(String... names) {
    List<String> allowed = List.of(names);
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String n = it.next();
      if (!allowed.contains(n)) {
        throw new SpecException(doc.file(), doc.lineOf(childPath(n)), childPath(n),
            "unknown field (allowed: " + String.join(", ", allowed) + ")");
      }
    }
  }
}
