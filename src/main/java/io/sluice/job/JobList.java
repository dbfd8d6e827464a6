package io.sluice.job;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of jobs. */
@Schema(name = "JobList")
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record JobList(
    List<JobResponse> items,
    @Schema(description = "Pass as ?cursor= to get the next page; absent on the last page")
        String nextCursor,
    @Schema(
            description =
                "Watch from here (?watch=true&resourceVersion=) to see every change after this list")
        String resourceVersion) {

  public JobList(List<JobResponse> items, String nextCursor) {
    this(items, nextCursor, null);
  }

  /** This page, marked with the watch position read before it. */
  public JobList at(String resourceVersion) {
    return new JobList(items, nextCursor, resourceVersion);
  }
}
