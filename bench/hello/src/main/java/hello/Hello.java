package hello;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The smallest useful Quarkus REST endpoint: what start-up costs with nothing else in it. */
@Path("/hello")
public class Hello {
  @GET
  public String hello() {
    return "hello";
  }
}
