package io.sluice.run;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code GET .../pods/{name}/log} through the client's own HTTP client (its authentication and
 * TLS), streamed. fabric8's log DSL first waits for the pod to become ready or terminal, with an
 * informer (a list and a watch) per read: a thousand runs ending at once meant a thousand watches.
 * The pod is already known here, so the log is simply read.
 */
final class RawLogs {
  private static final long TIMEOUT_SECONDS = 30;

  private RawLogs() {}

  static InputStream open(
      KubernetesClient client, String ns, String pod, Map<String, String> params) {
    StringJoiner query = new StringJoiner("&");
    params.forEach((k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    String url =
        client.getMasterUrl().toString().replaceAll("/$", "")
            + "/api/v1/namespaces/"
            + URLEncoder.encode(ns, StandardCharsets.UTF_8)
            + "/pods/"
            + URLEncoder.encode(pod, StandardCharsets.UTF_8)
            + "/log?"
            + query;
    HttpClient http = client.getHttpClient();
    HttpRequest request = http.newHttpRequestBuilder().uri(url).build();
    try {
      HttpResponse<InputStream> response =
          http.sendAsync(request, InputStream.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (response.isSuccessful()) {
        return response.body();
      }
      try (InputStream body = response.body()) {
        String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
        Status status = null;
        try {
          status = client.getKubernetesSerialization().unmarshal(text, Status.class);
        } catch (RuntimeException notStatus) {
          // a proxy's page, not the API server's Status
        }
        throw new KubernetesClientException(
            status != null && status.getMessage() != null ? status.getMessage() : "log read failed",
            response.code(),
            status);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted reading the log of " + pod, e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      throw new KubernetesClientException("the log of " + pod + " could not be read", e);
    }
  }
}
