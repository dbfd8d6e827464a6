package io.sluice.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Reads request bodies sent as {@code application/yaml}, bound exactly as strictly as JSON (the
 * same customisation), so a YAML job definition is the same contract in another syntax. YAML's own
 * extras are refused before binding: anchors and aliases (Jackson would bind an alias as the
 * anchor's name, and they are the "billion laughs" vector) and tags.
 */
@Provider
@Consumes({YamlBodyReader.YAML, YamlBodyReader.X_YAML, YamlBodyReader.TEXT_YAML})
public class YamlBodyReader implements MessageBodyReader<Object> {
  public static final String YAML = "application/yaml";

  /** The aliases editors and tools send YAML as; accepted like {@link #YAML}. */
  public static final String X_YAML = "application/x-yaml";

  public static final String TEXT_YAML = "text/yaml";

  private final ObjectMapper yaml;

  public YamlBodyReader() {
    this.yaml = new ObjectMapper(new YAMLFactory());
    new JacksonConfig().customize(yaml);
  }

  @Override
  public boolean isReadable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type.isRecord();
  }

  @Override
  public Object readFrom(
      Class<Object> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> httpHeaders,
      InputStream entityStream)
      throws IOException {
    byte[] body = entityStream.readAllBytes();
    if (body.length == 0) {
      return null;
    }
    refuseAnchorsAliasesAndTags(body);
    return yaml.readerFor(yaml.getTypeFactory().constructType(genericType)).readValue(body);
  }

  /** Binds a YAML document as strictly as a request body (the web console's editor sends these). */
  public <T> T read(byte[] body, Class<T> type) throws IOException {
    refuseAnchorsAliasesAndTags(body);
    return yaml.readerFor(type).readValue(body);
  }

  /** A value as YAML, for people to read and edit. */
  public String write(Object value) throws IOException {
    return yaml.writeValueAsString(value);
  }

  private void refuseAnchorsAliasesAndTags(byte[] body) throws IOException {
    try (YAMLParser parser = (YAMLParser) yaml.getFactory().createParser(body)) {
      while (parser.nextToken() != null) {
        String what = null;
        if (parser.isCurrentAlias()) {
          what = "an alias (*" + parser.getText() + ")";
        } else if (parser.getObjectId() != null) {
          what = "an anchor (&" + parser.getObjectId() + ")";
        } else if (parser.getTypeId() != null) {
          what = "a tag (" + parser.getTypeId() + ")";
        }
        if (what != null) {
          JsonLocation at = parser.currentTokenLocation();
          String where = "line " + at.getLineNr() + ", column " + at.getColumnNr();
          throw new SluiceException(
              Reason.MALFORMED_REQUEST,
              "YAML body has "
                  + what
                  + " at "
                  + where
                  + "; anchors, aliases and tags are not accepted: write the value out",
              List.of(
                  new FieldError("body", where + ": anchors, aliases and tags are not accepted")));
        }
      }
    }
  }
}
