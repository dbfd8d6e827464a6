package io.sluice.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Refuses NUL characters in every string of a request body — values and map keys alike. Neither
 * PostgreSQL's text and jsonb nor Kubernetes accept them, so they are refused where they arrive,
 * with the field's path, instead of failing later.
 */
final class NoNulStrings {
  static final String MESSAGE = "must not contain NUL (\\u0000) characters";

  private NoNulStrings() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("sluice-no-nul");
    module.addDeserializer(String.class, new Values());
    module.addKeyDeserializer(String.class, new Keys());
    return module;
  }

  static boolean hasNul(String s) {
    return s != null && s.indexOf('\0') >= 0;
  }

  private static final class Values extends StdScalarDeserializer<String> {
    Values() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String value = StringDeserializer.instance.deserialize(p, ctxt);
      if (hasNul(value)) {
        throw InvalidFormatException.from(p, MESSAGE, "(contains NUL)", String.class);
      }
      return value;
    }
  }

  private static final class Keys extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
      if (hasNul(key)) {
        throw InvalidFormatException.from(
            ctxt.getParser(), MESSAGE, "(contains NUL)", String.class);
      }
      return key;
    }
  }
}
