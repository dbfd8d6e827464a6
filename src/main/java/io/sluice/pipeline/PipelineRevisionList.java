package io.sluice.pipeline;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One keyset page of a pipeline's revisions, newest first. */
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
@Schema(name = "PipelineRevisionList")
public record PipelineRevisionList(
    List<PipelineRevisionResponse> items,
    @Schema(description = "Pass as cursor for the next page; absent on the last")
        String nextCursor) {}
