package io.sluice.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox API server's answer to {@code GET .../pods/{name}/log}, with the query parameters a
 * real one takes: {@code container}, {@code previous}, {@code timestamps}, {@code tailLines},
 * {@code sinceSeconds}, {@code sinceTime} and {@code limitBytes}; refused (400) as a real one
 * refuses: an unknown container, no previous container, a container still waiting to start. A
 * followed log ({@code follow=true}) is answered with what there is so far: the sandbox serves no
 * streams, and Sluice's log follower resumes from the last line it got.
 */
final class LogQuery {
  private final Map<String, String> params;

  private LogQuery(Map<String, String> params) {
    this.params = params;
  }

  /** A refusal, in the API server's words. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  static LogQuery parse(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null && query.length() > 1) {
      for (String pair : query.substring(1).split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(key, value);
      }
    }
    return new LogQuery(params);
  }

  String answer(JsonNode pod) throws Refused {
    String name = pod.path("metadata").path("name").asText();
    JsonNode containers = pod.path("spec").path("containers");
    String container = params.getOrDefault("container", containers.path(0).path("name").asText());
    boolean known = false;
    for (JsonNode c : containers) {
      known |= container.equals(c.path("name").asText());
    }
    if (!known) {
      throw new Refused("container " + container + " is not valid for pod " + name);
    }
    JsonNode annotations = pod.path("metadata").path("annotations");
    boolean previous = "true".equals(params.get("previous"));
    String log;
    if (previous) {
      if (!annotations.has(Logs.PREVIOUS)) {
        throw new Refused(
            "previous terminated container \""
                + container
                + "\" in pod \""
                + name
                + "\" not found");
      }
      log = annotations.path(Logs.PREVIOUS).asText();
    } else if (annotations.has(Logs.CURRENT)) {
      log = annotations.path(Logs.CURRENT).asText();
    } else {
      String waiting =
          pod.path("status")
              .path("containerStatuses")
              .path(0)
              .path("state")
              .path("waiting")
              .path("reason")
              .asText("ContainerCreating");
      throw new Refused(
          "container \""
              + container
              + "\" in pod \""
              + name
              + "\" is waiting to start: "
              + waiting);
    }
    return select(log);
  }

  private String select(String log) {
    List<String> lines = new ArrayList<>();
    Instant since = since();
    for (String line : log.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      Instant at = Instant.parse(line.substring(0, space));
      if (since == null || !at.isBefore(since)) {
        lines.add("true".equals(params.get("timestamps")) ? line : line.substring(space + 1));
      }
    }
    if (params.containsKey("tailLines")) {
      int keep = Math.max(0, Math.min(lines.size(), Integer.parseInt(params.get("tailLines"))));
      lines = lines.subList(lines.size() - keep, lines.size());
    }
    StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(l).append('\n'));
    String text = out.toString();
    if (params.containsKey("limitBytes")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      int limit = (int) Math.min(bytes.length, Long.parseLong(params.get("limitBytes")));
      text = new String(bytes, 0, limit, StandardCharsets.UTF_8);
    }
    return text;
  }

  private Instant since() {
    if (params.containsKey("sinceTime")) {
      return Instant.parse(params.get("sinceTime"));
    }
    if (params.containsKey("sinceSeconds")) {
      return Instant.now().minusSeconds(Long.parseLong(params.get("sinceSeconds")));
    }
    return null;
  }
}
