package io.sluice.api;

/** Descriptions shared by the OpenAPI error responses of many operations. */
public final class ProblemResponses {
  private ProblemResponses() {}

  public static final String BAD_REQUEST = "Malformed JSON, unknown field, or invalid parameter";
  public static final String NOT_FOUND = "No such job in this namespace";
  public static final String PRECONDITION = "If-Match does not name the current version";
  public static final String UNSUPPORTED = "The body is not application/json";
  public static final String INVALID = "The request is well-formed but invalid; see errors[]";
  public static final String UNAVAILABLE =
      "The database is unavailable; retry after Retry-After seconds";
}
