package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * Canonical JSON for specs as stored in PostgreSQL: sorted keys, no nulls or empty collections. Two
 * specs that mean the same thing have the same canonical form and hash, which is how a no-op update
 * is recognised.
 */
public final class SpecCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .serializationInclusion(JsonInclude.Include.NON_EMPTY)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          // Stored specs are read back tolerantly: a field removed in a later version is ignored.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .addModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private SpecCodec() {}

  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("spec cannot be serialised", e);
    }
  }

  public static JobSpec spec(String json) {
    return read(json, JobSpec.class);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, String> labels(String json) {
    return read(json, Map.class);
  }

  /** Stored pod issues; none (null) when there are none, so the answer omits the field. */
  public static java.util.List<PodIssue> podIssues(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return java.util.List.of(MAPPER.readValue(json, PodIssue[].class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored pod issues cannot be read", e);
    }
  }

  public static java.util.List<Condition> conditions(String json) {
    if (json == null || json.isBlank()) {
      return java.util.List.of();
    }
    try {
      return MAPPER.readValue(
          json, new com.fasterxml.jackson.core.type.TypeReference<java.util.List<Condition>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored conditions cannot be read", e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON cannot be read as " + type.getSimpleName(), e);
    }
  }

  /**
   * A stored spec with the common fields set, for {@link #warm}: reading any spec builds the reader
   * of every field, but writing builds the writers of the fields set.
   */
  private static final String WARM_SPEC =
      "{\"args\":[\"--a\"],\"command\":[\"run\"],\"config\":{\"a.yaml\":\"a: 1\"},"
          + "\"env\":[{\"name\":\"A\",\"value\":\"b\"}],\"image\":\"example.com/a:1\","
          + "\"ports\":[{\"containerPort\":8080,\"name\":\"http\"}],\"replicas\":1,"
          + "\"resources\":{\"limits\":{\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"1\"}},"
          + "\"volumes\":[{\"mountPath\":\"/data\",\"name\":\"data\",\"size\":\"1Gi\"}]}";

  /**
   * Builds this mapper's readers and writers for specs and conditions. Blackbird generates a class
   * per property the first time a type is read or written (a few hundred ms on a cold JVM), so
   * without this the first reconcile passes after a start pay for it — the first resync after a
   * restart reads every job's spec at once. Returns the spec it read.
   */
  public static JobSpec warm() {
    JobSpec spec = spec(toJson(spec(WARM_SPEC)));
    toJson(
        conditions(
            "[{\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"message\":\"m\","
                + "\"reason\":\"r\",\"status\":\"True\",\"type\":\"Applied\"}]"));
    return spec;
  }

  public static String sha256(String canonicalJson) {
    return io.sluice.api.Sha256.hex(canonicalJson);
  }
}
