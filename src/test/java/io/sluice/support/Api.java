package io.sluice.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** HTTP calls the tests make, in one place: paths, content types and (later) credentials. */
public final class Api {
  private Api() {}

  public static RequestSpecification request() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
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
