package io.sluice.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The sandbox's Kubernetes API: the fabric8 mock server in CRUD mode, in this JVM, on a local port.
 * It stores and watches objects like an API server; {@link Simulator} plays kubelet and
 * controllers. Pod logs, which the mock server cannot serve, are read from an annotation the
 * simulator writes on each pod.
 */
public final class SandboxCluster {
  private static final Logger LOG = Logger.getLogger(SandboxCluster.class);
  static final String URL_PROPERTY = "io.sluice.sandbox.kubernetes-url";
  public static final String LOG_ANNOTATION = "sandbox.sluice.io/log";

  private SandboxCluster() {}

  /**
   * The URL of the sandbox API server, starting it on first use. Remembered in a system property so
   * dev-mode reloads (new class loaders) reuse the same server and its objects.
   */
  public static synchronized String url() {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null) {
      KubernetesMockServer server =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              new HashMap<>(),
              new LogServingDispatcher(),
              false);
      server.init(java.net.InetAddress.getLoopbackAddress(), 0);
      url = "http://" + server.getHostName() + ":" + server.getPort();
      System.setProperty(URL_PROPERTY, url);
      LOG.infof("Sandbox Kubernetes API (simulated cluster) listening on %s", url);
    }
    return url;
  }

  /** CRUD dispatcher that also answers {@code GET .../pods/{name}/log}. */
  static final class LogServingDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern LOG_PATH =
        Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    LogServingDispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse handleGet(String path) {
      Matcher m = LOG_PATH.matcher(path);
      if (!m.matches()) {
        return super.handleGet(path);
      }
      Map.Entry<?, String> pod =
          findResource(getKey("/api/v1/namespaces/" + m.group(1) + "/pods/" + m.group(2)));
      if (pod == null) {
        return status(404, "pods \"" + m.group(2) + "\" not found");
      }
      try {
        return new MockResponse()
            .setResponseCode(200)
            .setBody(LogQuery.parse(m.group(3)).answer(JSON.readTree(pod.getValue())));
      } catch (LogQuery.Refused e) {
        return status(400, e.getMessage());
      } catch (java.io.IOException e) {
        return status(500, "pod cannot be read");
      }
    }

    private static MockResponse status(int code, String message) {
      ObjectNode body = JSON.createObjectNode();
      body.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
      body.put("message", message).put("code", code);
      body.put("reason", code == 404 ? "NotFound" : "BadRequest");
      return new MockResponse().setResponseCode(code).setBody(body.toString());
    }
  }
}
