package io.sluice.run;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of every log read (a run's, a pod's), declared once: {@code kubectl logs}'
 * options. Bound as text and checked by {@link LogRequest#of(LogParams)}, so a bad value is a 400
 * naming it.
 */
public class LogParams {
  @Parameter(description = "Keep the stream open until the container ends")
  @QueryParam("follow")
  String follow;

  @Parameter(description = "Only the last N lines")
  @QueryParam("tailLines")
  String tailLines;

  @Parameter(description = "Only lines of the last N seconds")
  @QueryParam("sinceSeconds")
  String sinceSeconds;

  @Parameter(description = "Container of the pod (default: main)")
  @QueryParam("container")
  String container;

  @Parameter(description = "The previous (crashed) instance of the container")
  @QueryParam("previous")
  String previous;

  @Parameter(description = "Start each line with its RFC 3339 timestamp")
  @QueryParam("timestamps")
  String timestamps;
}
