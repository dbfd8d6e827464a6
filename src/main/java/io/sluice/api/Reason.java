package io.sluice.api;

/**
 * Every way a Sluice request can fail, with the HTTP status and problem type it maps to. The reason
 * is machine-readable: clients branch on it, and it ends up in events and job status.
 */
public enum Reason {
  MALFORMED_REQUEST(400, "Malformed request"),
  INVALID_PARAMETER(400, "Invalid parameter"),
  INVALID_IDEMPOTENCY_KEY(400, "Invalid Idempotency-Key"),
  UNAUTHENTICATED(401, "Authentication required"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  JOB_NOT_FOUND(404, "Job not found"),
  REVISION_NOT_FOUND(404, "Revision not found"),
  RUN_NOT_FOUND(404, "Run not found"),
  POD_NOT_FOUND(404, "Pod not found"),
  PIPELINE_NOT_FOUND(404, "Pipeline not found"),
  PIPELINE_RUN_NOT_FOUND(404, "Pipeline run not found"),
  LOGS_NOT_KEPT(404, "Logs not kept"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  JOB_EXISTS(409, "Job already exists"),
  PIPELINE_EXISTS(409, "Pipeline already exists"),
  RUN_NOT_FINISHED(409, "Run not finished"),
  NOTHING_TO_RETRY(409, "Nothing to retry"),
  CONFLICT(409, "Conflict"),
  IDEMPOTENCY_KEY_IN_FLIGHT(409, "Request with this Idempotency-Key in progress"),
  NOT_RUNNABLE(409, "Job has no runs"),
  AUTOSCALED(409, "Job is autoscaled"),
  SUSPENDED(409, "Job is suspended"),
  NOTHING_TO_ROLL_BACK(409, "Nothing to roll back to"),
  RUN_FINISHED(409, "Run already finished"),
  NO_POD_YET(409, "Run has no pod yet"),
  EXPIRED(410, "Resource version expired"),
  PRECONDITION_FAILED(412, "Precondition failed"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  VALIDATION_FAILED(422, "Validation failed"),
  POLICY_VIOLATION(422, "Policy violation"),
  IDEMPOTENCY_KEY_REUSED(422, "Idempotency-Key reused with a different request"),
  TOO_MANY_REQUESTS(429, "Too many requests"),
  INTERNAL_ERROR(500, "Internal error"),
  SERVICE_UNAVAILABLE(503, "Service unavailable"),
  KUBERNETES_UNAVAILABLE(503, "Kubernetes API unavailable");

  private final int status;
  private final String title;

  Reason(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The RFC 9457 {@code type} URI; stable, documented in the OpenAPI contract. */
  public String type() {
    return "https://sluice.io/problems/" + name().toLowerCase().replace('_', '-');
  }

  public static Reason forStatus(int status) {
    for (Reason reason : values()) {
      if (reason.status == status) {
        return reason;
      }
    }
    return status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
  }
}
