package io.sluice.reconcile;

/**
 * Why applying a job to the cluster failed. The reason ends up in the job's status, conditions and
 * events; the message never carries the API server's raw response body.
 */
public class ApplyException extends RuntimeException {
  /** Kinds of failure, in the words a user sees. */
  public enum Reason {
    /** The API server failed or was unreachable; retried with backoff. */
    KubernetesApiError,
    /** The API server refused an object as invalid; retried, but needs a spec change. */
    Rejected,
    /** An object with the same name exists and Sluice does not manage it: never adopted. */
    ForeignObject,
    /** An object with the same name belongs to another Sluice job (e.g. one being deleted). */
    OwnedByAnotherJob,
    /** A rendered pod breaks the restricted Pod Security Standard: nothing is applied. */
    PodSecurityViolation,
    /**
     * The namespace's policy no longer lets this spec's pods run there, or as that ServiceAccount,
     * or with those Secrets: nothing is applied until the spec or the policy changes.
     */
    PolicyViolation,
    /**
     * The job's engine (Spark, Flink) is driven through an operator whose CustomResourceDefinition
     * the cluster does not serve: nothing is applied until it is installed.
     */
    OperatorMissing
  }

  private final Reason reason;

  public ApplyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
