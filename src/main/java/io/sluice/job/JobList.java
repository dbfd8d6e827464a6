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
        String nextCursor) {}
