package io.sluice.render;

/**
 * Names of the Kubernetes objects derived from a job. They are deterministic, so a retried create
 * finds the object it made before instead of making a second one.
 */
public final class Names {
  private Names() {}

  /** Deployment, StatefulSet, CronJob and their Service share the job's name. */
  public static String workload(String job) {
    return job;
  }

  public static String service(String job) {
    return job;
  }

  /** One ConfigMap per distinct config content: a change rolls the pods, a rollback restores it. */
  public static String configMap(String job, String configHash) {
    return job + "-config-" + configHash.substring(0, 10);
  }

  /**
   * Standalone PersistentVolumeClaim of a batch or service job. A dot separates job and volume:
   * both are DNS labels without dots, so no two jobs can derive the same claim name.
   */
  public static String claim(String job, String volume) {
    return job + "." + volume;
  }

  /** The Kubernetes Job of run {@code number}. */
  public static String runJob(String job, int number) {
    return job + "-" + number;
  }
}
