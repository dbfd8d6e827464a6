package io.sluice.pipeline;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One keyset page of a pipeline's runs, newest first. */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
@Schema(name = "PipelineRunList")
public record PipelineRunList(
    List<PipelineRunResponse> items,
    @Schema(description = "Pass as cursor for the next page; absent on the last") String nextCursor,
    @Schema(
            description =
                "Watch from here (?watch=true&resourceVersion=) to see every change after this list")
        String resourceVersion) {

  public PipelineRunList(List<PipelineRunResponse> items, String nextCursor) {
    this(items, nextCursor, null);
  }

  /** This page, marked with the watch position read before it. */
  public PipelineRunList at(String resourceVersion) {
    return new PipelineRunList(items, nextCursor, resourceVersion);
  }
}
