package io.sluice.run;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of runs, newest first. */
@Schema(name = "RunList")
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record RunList(
    List<RunResponse> items,
    @Schema(description = "Pass as ?cursor= to get the next page; absent on the last page")
        String nextCursor,
    @Schema(
            description =
                "Watch from here (?watch=true&resourceVersion=) to see every change after this list")
        String resourceVersion) {

  public RunList(List<RunResponse> items, String nextCursor) {
    this(items, nextCursor, null);
  }

  /** This page, marked with the watch position read before it. */
  public RunList at(String resourceVersion) {
    return new RunList(items, nextCursor, resourceVersion);
  }
}
