package io.sluice.watch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads a watch the way a browser's EventSource does: one event per blank-line-ended block. */
final class SseClient implements AutoCloseable {
  record Event(String name, String id, String data) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  final int status;
  final String contentType;
  final String body;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse<java.io.InputStream> response;
  private final Thread reader;

  private SseClient(HttpResponse<java.io.InputStream> response) throws IOException {
    this.response = response;
    this.status = response.statusCode();
    this.contentType = response.headers().firstValue("Content-Type").orElse("");
    if (status != 200) {
      this.body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      this.reader = null;
      return;
    }
    this.body = null;
    this.reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient open(String url, String token, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = null;
      String id = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0 || name != null) {
            events.add(new Event(name, id, data.toString()));
          }
          name = null;
          id = null;
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
      events.add(new Event("EOF", null, ""));
    } catch (IOException e) {
      events.add(new Event("EOF", null, e.getMessage()));
    }
  }

  /** The next event, or a failure after {@code seconds}. */
  Event next(int seconds) throws InterruptedException {
    Event event = events.poll(seconds, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no event within " + seconds + " s");
    }
    return event;
  }

  /** The next event that is not a BOOKMARK. */
  Event nextChange(int seconds) throws InterruptedException {
    Event event;
    do {
      event = next(seconds);
    } while ("BOOKMARK".equals(event.name()));
    return event;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.interrupt();
      response.body().close();
    }
  }
}
