package io.sluice.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One field-level problem in a rejected request body, e.g. {@code spec.replicas}. */
@Schema(description = "A problem with one field of the request")
public record FieldError(
    @Schema(description = "Path of the field in the request body", example = "spec.replicas")
        String field,
    @Schema(description = "What is wrong with it", example = "must be greater than or equal to 0")
        String message) {}
