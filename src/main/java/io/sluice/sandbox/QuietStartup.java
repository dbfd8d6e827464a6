package io.sluice.sandbox;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps one misleading start-up warning out of the log: Quarkus reports {@code
 * quarkus.kubernetes-client.api-server-url} as a build-time property changed at run time whenever
 * it is set at run time — which is how the sandbox points the client at its simulated API server,
 * and how the benchmarks point it at theirs. The client does use the value. The warning is dropped
 * only when that property is the only one it names, so every other mismatch is still reported.
 */
@LoggingFilter(name = "sluice-quiet-startup")
public final class QuietStartup implements Filter {
  static final String PROPERTY = "quarkus.kubernetes-client.api-server-url";

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    if (message == null
        || !message.startsWith("Build time property cannot be changed at runtime")) {
      return true;
    }
    String formatted =
        record.getParameters() == null || record.getParameters().length == 0
            ? message
            : String.valueOf(record.getParameters()[0]) + message;
    long named = formatted.lines().filter(l -> l.trim().startsWith("- ")).count();
    return !(named <= 1 && formatted.contains(PROPERTY));
  }
}
