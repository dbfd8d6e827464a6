package io.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        return new MockResponse()
            .setResponseCode(404)
            .setBody("{\"kind\":\"Status\",\"code\":404}");
      }
      return new MockResponse()
          .setResponseCode(200)
          .setBody(tail(logOf(pod.getValue()), m.group(3)));
    }

    private static String logOf(String podJson) {
      try {
        JsonNode log =
            JSON.readTree(podJson).path("metadata").path("annotations").path(LOG_ANNOTATION);
        return log.isMissingNode() ? "" : log.asText();
      } catch (Exception e) {
        return "";
      }
    }

    private static String tail(String log, String query) {
      if (query == null) {
        return log;
      }
      Matcher n = Pattern.compile("tailLines=(\\d+)").matcher(query);
      if (!n.find()) {
        return log;
      }
      String[] lines = log.split("\n");
      int keep = Math.min(lines.length, Integer.parseInt(n.group(1)));
      return String.join(
              "\n", java.util.Arrays.copyOfRange(lines, lines.length - keep, lines.length))
          + (log.endsWith("\n") ? "\n" : "");
    }
  }
}
