package io.sluice.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** HTTP calls the tests make, in one place: paths, content types and credentials. */
public final class Api {
  private Api() {}

  /**
   * The answer when PostgreSQL is away or gave up on a statement: 503 with Retry-After and a
   * problem document that names neither SQL nor an exception.
   */
  public static ValidatableResponse unavailable(Response response) {
    return response
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", notNullValue())
        .body("reason", is("SERVICE_UNAVAILABLE"))
        .body("detail", not(containsString("SQL")))
        .body("detail", not(containsString("Exception")));
  }

  /** A request as the all-namespaces admin of the test configuration. */
  public static RequestSpecification authorized() {
    return as(Tokens.ADMIN);
  }

  /** A request carrying {@code token} as its bearer token. */
  public static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }

  public static RequestSpecification request() {
    return authorized().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  /** The token the sandbox wrote to its data directory, as the README has users read it. */
  public static String sandboxToken() {
    String dir =
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("sluice.sandbox.data-dir", String.class);
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(dir, "token")).trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static String jobsPath(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/jobs";
  }

  public static String jobPath(String namespace, String name) {
    return jobsPath(namespace) + "/" + name;
  }

  public static Response createJob(String namespace, Map<String, Object> body) {
    return request().body(body).post(jobsPath(namespace));
  }

  /** Creates a job and fails the test unless it was accepted. */
  public static Response createJobOk(String namespace, Map<String, Object> body) {
    Response response = createJob(namespace, body);
    response.then().statusCode(201);
    return response;
  }

  public static Response getJob(String namespace, String name) {
    return request().get(jobPath(namespace, name));
  }
}
