package io.sluice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads request bodies sent as {@code application/yaml}, bound exactly as strictly as JSON (the
 * same customisation), so a YAML job definition is the same contract in another syntax.
 */
@Provider
@Consumes({YamlBodyReader.YAML, "application/x-yaml", "text/yaml"})
public class YamlBodyReader implements MessageBodyReader<Object> {
  public static final String YAML = "application/yaml";

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
    return yaml.readerFor(yaml.getTypeFactory().constructType(genericType)).readValue(body);
  }
}
