package org.ionloop.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML user file parsed into a tree that remembers the line of every field, so validation
 * errors can name file, line and field. Jackson's tree model drops locations, hence this
 * small streaming builder.
 *
 * <p>Strict where YAML is lenient: a key given twice is an error naming both lines (YAML
 * parsers keep the last one silently, so a second {@code max: 5000} would replace a furnace's
 * safety limit); integers too large for a long stay exact so range checks can refuse them instead
 * of seeing a wrapped value; files are at most {@value #MAX_BYTES} bytes, nested at most
 * {@value #MAX_DEPTH} deep, with few aliases (no "billion laughs").
 */
public final class SpecDocument {
  /** The largest user file read (campaign, protocol, instrument, catalogue). */
  public static final int MAX_BYTES = 1_000_000;
  static final int MAX_DEPTH = 40;
  private static final YAMLFactory YAML = yamlFactory();
  private final Path file;
  private final String text;
  private final Map<String, Integer> lines;
  private final JsonNode root;

  private SpecDocument(Path file, String text, JsonNode root, Map<String, Integer> lines) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.lines = lines;
  }

  /** The text the document was parsed from. */
  public String text() {
    return text;
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setMaxAliasesForCollections(20);
    options.setAllowDuplicateKeys(true); // reported by this class with both lines instead
    return YAMLFactory.builder().loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_BYTES).maxNumberLength(400).build())
        .build();
  }

  /**
   * Reads and parses a YAML file.
   *
   * @throws SpecException when the file is missing, unreadable, not YAML, or not a mapping
   */
  public static SpecDocument read(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new SpecException(file, 0, "(file)", String.format("the file has %,d bytes; user files"
            + " are limited to %,d bytes (is this the right file?)", size, MAX_BYTES));
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(file, 0, "(file)", "file not found (looked for "
          + file.toAbsolutePath().normalize() + ")");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new SpecException(file, 0, "(file)", "not UTF-8 text");
    } catch (IOException e) {
      throw new SpecException(file, 0, "(file)", "cannot read: " + e.getMessage(), e);
    }
    return parse(file, text);
  }

  /** Parses YAML text that claims to come from {@code file} (used in error messages). */
  public static SpecDocument parse(Path file, String text) {
    if (text.length() > MAX_BYTES) {
      throw new SpecException(file, 0, "(file)", String.format("the text has %,d characters; user"
          + " files are limited to %,d", text.length(), MAX_BYTES));
    }
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        int line = first == null ? 1 : parser.currentTokenLocation().getLineNr();
        throw new SpecException(file, line, "(root)", "expected a YAML mapping at the top level");
      }
      lines.put("", parser.currentTokenLocation().getLineNr());
      JsonNode root = readValue(file, parser, "", lines);
      if (parser.nextToken() != null) {
        throw new SpecException(file, parser.currentTokenLocation().getLineNr(), "(root)",
            "more than one YAML document in the file; a user file holds one");
      }
      return new SpecDocument(file, text, root, lines);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      int line = loc == null ? 0 : loc.getLineNr();
      throw new SpecException(file, line, "(syntax)", "not valid YAML: " + firstLine(e), e);
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      // SnakeYAML's own limits (code points, nesting, aliases) escape Jackson unwrapped.
      throw new SpecException(file, 0, "(syntax)", "not valid YAML: " + oneLine(e.getMessage()), e);
    } catch (IOException e) {
      throw new SpecException(file, 0, "(file)", "cannot read: " + e.getMessage(), e);
    }
  }

  private static String firstLine(JsonProcessingException e) {
    String m = oneLine(e.getOriginalMessage());
    return m.length() > 300 ? m.substring(0, 300) + "…" : m;
  }

  /** A parser's message on one line, for a one-line error. */
  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static JsonNode readValue(Path file, JsonParser p, String path, Map<String, Integer> lines)
      throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (p instanceof YAMLParser y && (y.isCurrentAlias() || y.getCurrentAnchor() != null)) {
      // Anchors and aliases (&a, *a) would be read as the alias's name, not its value; user
      // files have no need of them, so they are refused rather than read wrong.
      throw new SpecException(file, p.currentTokenLocation().getLineNr(), path.isEmpty() ? "(root)" : path,
          "YAML anchors and aliases (&name, *name) are not supported in ionloop files; write the value out");
    }
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode obj = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String childPath = path.isEmpty() ? name : path + "." + name;
          int line = p.currentTokenLocation().getLineNr();
          if (obj.has(name)) {
            throw new SpecException(file, line, childPath, "key '" + name + "' is given twice (first"
                + " at line " + lines.get(childPath) + "); remove one");
          }
          lines.put(childPath, line);
          p.nextToken();
          obj.set(name, readValue(file, p, childPath, lines));
        }
        return obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String childPath = path + "[" + i++ + "]";
          lines.put(childPath, p.currentTokenLocation().getLineNr());
          arr.add(readValue(file, p, childPath, lines));
        }
        return arr;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        // Kept exact: a long when it fits, else a BigInteger that every range check refuses.
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? f.numberNode(p.getBigIntegerValue()) : f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        try {
          return f.numberNode(p.getDoubleValue());
        } catch (JsonProcessingException e) {
          // .nan, .inf and friends: YAML floats that no field of ours may hold
          throw new SpecException(file, p.currentTokenLocation().getLineNr(), path,
              "'" + p.getText() + "' is not a finite number");
        }
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new SpecException(file, p.currentTokenLocation().getLineNr(), path,
          "unexpected token " + p.currentToken());
    }
  }

  public Path file() {
    return file;
  }

  /** The top-level mapping. */
  public SpecNode root() {
    return new SpecNode(this, "", root);
  }

  /** Line of a field path, or the nearest enclosing one's; 0 when unknown. */
  int lineOf(String path) {
    String p = path;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return lines.getOrDefault("", 0);
      }
      p = p.substring(0, cut);
    }
  }
}
