package io.sluice.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What Sluice last knew of the job on the cluster. */
@Schema(name = "JobStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
    JobPhase phase,
    @Schema(description = "Human-readable explanation of the phase") String message,
    @Schema(description = "Revision last applied to the cluster") Integer appliedRevision,
    @Schema(description = "When the cluster was last observed") OffsetDateTime lastSeen,
    @Schema(description = "Pods ready, for service and stateful workloads") Integer readyReplicas,
    @Schema(description = "Pods wanted, for service and stateful workloads")
        Integer desiredReplicas,
    List<Condition> conditions,
    @Schema(
            description =
                "Newest revision that rolled out with all replicas ready (service, stateful) or"
                    + " whose last run succeeded (batch, scheduled)")
        Integer lastStableRevision,
    @Schema(
            description =
                "Why pods are stuck or failing, as Kubernetes reports it (at most 10); the message"
                    + " says the first in words")
        List<PodIssue> podIssues) {}
