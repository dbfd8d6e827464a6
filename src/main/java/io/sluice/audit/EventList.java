package io.sluice.audit;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of events, newest first. */
@Schema(name = "EventList")
@com.fasterxml.jackson.annotation.JsonInclude(
    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record EventList(
    List<EventResponse> items,
    @Schema(description = "Pass as ?cursor= to get the next page; absent on the last page")
        String nextCursor) {}
