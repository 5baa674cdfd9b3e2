package org.ionloop.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML user file parsed into a tree that remembers the line of every field, so validation
 * errors can name file, line and field. Jackson's tree model drops locations, hence this
 * small streaming builder.
 */
public final class SpecDocument {
  private static final YAMLFactory YAML = new YAMLFactory();
  private final Path file;
  private final Map<String, Integer> lines;
  private final JsonNode root;

  private SpecDocument(Path file, JsonNode root, Map<String, Integer> lines) {
    this.file = file;
    this.root = root;
    this.lines = lines;
  }

  /**
   * Reads and parses a YAML file.
   *
   * @throws SpecException when the file is missing, unreadable, not YAML, or not a mapping
   */
  public static SpecDocument read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(file, 0, "(file)", "file not found");
    } catch (IOException e) {
      throw new SpecException(file, 0, "(file)", "cannot read: " + e.getMessage(), e);
    }
    return parse(file, text);
  }

  /** Parses YAML text that claims to come from {@code file} (used in error messages). */
  public static SpecDocument parse(Path file, String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        int line = first == null ? 1 : parser.currentTokenLocation().getLineNr();
        throw new SpecException(file, line, "(root)", "expected a YAML mapping at the top level");
      }
      lines.put("", parser.currentTokenLocation().getLineNr());
      JsonNode root = readValue(parser, "", lines);
      return new SpecDocument(file, root, lines);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      int line = loc == null ? 0 : loc.getLineNr();
      throw new SpecException(file, line, "(syntax)", "not valid YAML: "
          + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ").strip(), e);
    } catch (IOException e) {
      throw new SpecException(file, 0, "(file)", "cannot read: " + e.getMessage(), e);
    }
  }

  private static JsonNode readValue(JsonParser p, String path, Map<String, Integer> lines)
      throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode obj = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String childPath = path.isEmpty() ? name : path + "." + name;
          lines.put(childPath, p.currentTokenLocation().getLineNr());
          p.nextToken();
          obj.set(name, readValue(p, childPath, lines));
        }
        return obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String childPath = path + "[" + i++ + "]";
          lines.put(childPath, p.currentTokenLocation().getLineNr());
          arr.add(readValue(p, childPath, lines));
        }
        return arr;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new SpecException(null, p.currentTokenLocation().getLineNr(), path,
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
