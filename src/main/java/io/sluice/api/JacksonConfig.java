package io.sluice.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Strict request binding: unknown fields, duplicate keys, trailing garbage, numbers for enums and
 * strings for numbers are all refused, NUL characters too, and nesting depth is bounded, so what
 * was accepted is exactly what was meant.
 */
@Singleton
public class JacksonConfig implements ObjectMapperCustomizer {
  static final int MAX_NESTING_DEPTH = 32;

  @Override
  @SuppressWarnings("deprecation")
  public void customize(ObjectMapper mapper) {
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    // Compact, with a newline at the end of each document (see TrailingNewline).
    mapper.setDefaultPrettyPrinter(new TrailingNewline());
    mapper.enable(SerializationFeature.INDENT_OUTPUT);
    mapper.registerModule(NoNulStrings.module());
    // Property access through generated lambdas, not reflection: a create writes its answer and
    // reads its request through this mapper (reflection was ~5 % of a create's CPU).
    mapper.registerModule(new BlackbirdModule());
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(1_000_000)
                .maxNumberLength(64)
                .build());
  }
}
