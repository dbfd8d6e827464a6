package io.sluice.console;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a YAML document is written: {@code spec.env[0].name} → its line, so the
 * console can show a validation error (which names a field) beside the line a person typed. Pure; a
 * document that does not parse maps what it read up to the error.
 */
public final class YamlLines {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final int MAX_DEPTH = 64;

  private final Map<String, Integer> lines = new HashMap<>();

  private YamlLines() {}

  public static YamlLines of(String document) {
    YamlLines result = new YamlLines();
    try (YAMLParser parser = (YAMLParser) YAML.createParser(document)) {
      if (parser.nextToken() != null) {
        result.value(parser, "", 0);
      }
    } catch (IOException | RuntimeException e) {
      // Keep what was read; the parse error itself says where it is.
    }
    return result;
  }

  /**
   * The line of {@code field} (1-based), or of its nearest written parent, or 0 when neither is
   * written (e.g. a required field left out of the top level).
   */
  public int lineOf(String field) {
    String path = field == null ? "" : field;
    while (!path.isEmpty()) {
      Integer line = lines.get(path);
      if (line != null) {
        return line;
      }
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      path = cut <= 0 ? "" : path.substring(0, cut);
    }
    return 0;
  }

  private void value(YAMLParser parser, String path, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      parser.skipChildren();
      return;
    }
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        String child = path.isEmpty() ? name : path + "." + name;
        lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        parser.nextToken();
        value(parser, child, depth + 1);
      }
    } else if (token == JsonToken.START_ARRAY) {
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY && parser.currentToken() != null) {
        String child = path + "[" + index++ + "]";
        lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
        value(parser, child, depth + 1);
      }
    }
  }
}
