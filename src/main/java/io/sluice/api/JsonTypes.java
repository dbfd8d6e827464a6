package io.sluice.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Words for what a request body held and what it should have held, in terms of JSON (string,
 * integer, list, object) rather than the Java classes Jackson names in its messages.
 */
final class JsonTypes {
  private static final int MAX_ECHO = 40;

  private JsonTypes() {}

  /** What a value of {@code type} looks like in JSON; null when unknown. */
  static String describe(Class<?> type) {
    if (type == null) {
      return null;
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", ", "[", "]"));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "an RFC 3339 date-time such as 2026-12-31T23:59:59Z";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return null;
  }

  /** What was sent where the mismatch happened, as JSON; null when nothing was. */
  static String sent(MismatchedInputException e) {
    if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content to map")) {
      return "an empty or unreadable body (YAML sent with curl -d loses its newlines: use"
          + " --data-binary @file)";
    }
    String fromMessage = sentAccordingTo(e.getOriginalMessage());
    if (fromMessage != null) {
      return fromMessage;
    }
    if (!(e.getProcessor() instanceof JsonParser parser)) {
      return null;
    }
    JsonToken token = parser.currentToken();
    if (token == null) {
      return null;
    }
    try {
      return switch (token) {
        case VALUE_STRING -> "\"" + truncate(parser.getText()) + "\"";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
        case VALUE_NULL -> "null";
        case START_ARRAY -> "a list";
        case START_OBJECT -> "an object";
        default -> null;
      };
    } catch (java.io.IOException ex) {
      return null;
    }
  }

  private static final java.util.regex.Pattern COERCE =
      java.util.regex.Pattern.compile(
          "Cannot coerce (String|Integer|Floating-point|Boolean) value \\((.*?)\\) to");
  private static final java.util.regex.Pattern FROM =
      java.util.regex.Pattern.compile(
          "from (Array|Object|String|Integer|Floating-point|Boolean) value");

  /** What Jackson says was sent, reworded as JSON; null when its message does not say. */
  private static String sentAccordingTo(String message) {
    if (message == null) {
      return null;
    }
    java.util.regex.Matcher coerce = COERCE.matcher(message);
    if (coerce.find()) {
      String raw = coerce.group(2);
      return coerce.group(1).equals("String") ? truncate(raw) : truncate(raw.replace("\"", ""));
    }
    java.util.regex.Matcher from = FROM.matcher(message);
    if (from.find()) {
      return switch (from.group(1)) {
        case "Array" -> "a list";
        case "Object" -> "an object";
        case "String" -> "a string";
        case "Integer" -> "an integer";
        case "Floating-point" -> "a number";
        default -> "true or false";
      };
    }
    return null;
  }

  /** A parser's message: its first line, without class names. */
  static String scrub(String message) {
    if (message == null || message.isBlank()) {
      return "unreadable document";
    }
    String lines =
        Arrays.stream(message.split("\n"))
            .filter(l -> !l.trim().startsWith("at [Source") && !l.trim().startsWith("in 'reader'"))
            .collect(Collectors.joining(" "));
    return lines
        .replaceAll("\\(?`?\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*`?\\)?", "")
        .replaceAll("\\s+", " ")
        .trim();
  }

  /** A hint for the usual causes of a document that does not parse. */
  static String hint(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    boolean yaml = e.getProcessor() instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser;
    if (yaml && message.contains("TAB")) {
      return " (YAML does not allow tabs for indentation: use spaces)";
    }
    if (yaml && message.contains("mapping values are not allowed")) {
      return " (check the indentation, and quote values that contain ': ')";
    }
    if (!yaml && message.startsWith("Unexpected character")) {
      return " (if this is YAML, send it with Content-Type: application/yaml)";
    }
    return "";
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
  }
}
