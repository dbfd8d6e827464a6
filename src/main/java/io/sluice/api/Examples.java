package io.sluice.api;

/** Request-body examples shown in the OpenAPI contract (and by Swagger UI and generators). */
public final class Examples {
  private Examples() {}

  public static final String CREATE_JOB =
      """
      {"name": "clickstream-ingest", "type": "ingestion",
       "spec": {"image": "ghcr.io/acme/clickstream-ingest:1.4.2",
                "args": ["--source", "s3://raw/clickstream"],
                "config": {"pipeline.yaml": "batchSize: 500\\n"},
                "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}},
                "volumes": [{"name": "staging", "size": "5Gi", "mountPath": "/data/staging"}],
                "batch": {"backoffLimit": 2, "ttlSecondsAfterFinished": 86400},
                "labels": {"team": "data-platform"}},
       "changeCause": "first import of the clickstream"}""";

  public static final String UPDATE_JOB =
      """
      {"spec": {"image": "ghcr.io/acme/clickstream-ingest:1.5.0",
                "args": ["--source", "s3://raw/clickstream"],
                "labels": {"team": "data-platform"}},
       "changeCause": "bump to 1.5.0"}""";

  public static final String CREATE_RUN =
      """
      {"args": ["--date", "2026-11-26"], "env": [{"name": "MODE", "value": "backfill"}]}""";

  public static final String SCALE =
      """
      {"replicas": 3}""";

  public static final String ROLLBACK =
      """
      {"toRevision": 2, "changeCause": "1.5.0 drops rows"}""";
}
