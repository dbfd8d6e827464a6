package io.sluice.render;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every label and annotation Sluice puts on Kubernetes objects, in one place. The managed-by label
 * is how Sluice recognises its own objects: it never touches one without it.
 */
public final class Labels {
  private Labels() {}

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "sluice";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String JOB_ID = "sluice.io/job-id";
  public static final String RUN = "sluice.io/run";

  /** Put by Kubernetes' Job controller on the pods of a Job: the Job's name. */
  public static final String KUBERNETES_JOB_NAME = "job-name";

  public static final String REVISION_ANNOTATION = "sluice.io/revision";
  public static final String CONFIG_HASH_ANNOTATION = "sluice.io/config-hash";

  /**
   * The revision an object (a pod, or a workload's pod template) was rendered from, by its {@link
   * #REVISION_ANNOTATION}; null when it does not say or says something that is not a number.
   */
  public static Integer revision(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
    String value =
        meta == null || meta.getAnnotations() == null
            ? null
            : meta.getAnnotations().get(REVISION_ANNOTATION);
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Label selector of everything Sluice manages, for informers and list calls. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  /** The labels every object of a job carries: the user's, then Sluice's (which win). */
  public static Map<String, String> of(RenderInput job) {
    Map<String, String> labels = new LinkedHashMap<>(job.spec().labelsOrEmpty());
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(NAME, job.name());
    labels.put(COMPONENT, job.type().value());
    labels.put(JOB_ID, job.jobId().toString());
    return labels;
  }

  /** Selector of a job's pods; stable for the life of the job (selectors are immutable). */
  public static Map<String, String> selector(UUID jobId) {
    return Map.of(JOB_ID, jobId.toString());
  }

  public static boolean isManaged(Map<String, String> labels) {
    return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
  }
}
