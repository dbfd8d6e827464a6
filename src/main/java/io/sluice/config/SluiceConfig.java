package io.sluice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sluice's own settings, under {@code sluice.*}; every one has a documented default. */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

  /** Who may call the API: API tokens, JWT verification, caching. */
  Security security();

  interface Security {
    /**
     * API tokens defined in configuration, by name (e.g. a bootstrap admin token). Only the token's
     * SHA-256 is configured, never the token itself: {@code sluice.security.tokens.<name>.sha256}.
     */
    java.util.Map<String, ConfiguredToken> tokens();

    /** How long a verified API token is trusted before it is looked up again (revocation delay). */
    @WithDefault("10s")
    java.time.Duration tokenCacheTtl();

    /** The JWT claim listing the namespaces a bearer may use ({@code "*"} for all). */
    @WithDefault("namespaces")
    String namespacesClaim();
  }

  /** An API token whose hash lives in configuration rather than the database. */
  interface ConfiguredToken {
    /** Hex SHA-256 of the token ({@code printf %s "$TOKEN" | sha256sum}). */
    String sha256();

    /** viewer, operator or admin. */
    String role();

    /** Namespaces the token may use; {@code *} for all. */
    java.util.List<String> namespaces();
  }

  /** Paging of list endpoints. */
  Paging paging();

  /** The reconciler: how it claims work and how often it looks again. */
  Reconcile reconcile();

  interface Reconcile {
    /** Run the reconciler in this replica. */
    @WithDefault("true")
    boolean enabled();

    /** Jobs reconciled in parallel by this replica. */
    @WithDefault("4")
    int workers();

    /** How long a claim on a job lasts; another replica may take the job after it expires. */
    @WithDefault("60s")
    java.time.Duration lease();

    /** How often an unchanged job is checked against the cluster anyway (drift repair). */
    @WithDefault("5m")
    java.time.Duration resync();

    /**
     * Longest wait between claims when nothing wakes the reconciler: how late a job that becomes
     * due by time (resync, retry, rollout deadline) may be picked up. An empty claim is one index
     * probe.
     */
    @WithDefault("250ms")
    java.time.Duration poll();

    /** Retries after a failure back off exponentially from this... */
    @WithDefault("1s")
    java.time.Duration minBackoff();

    /** ...up to this. */
    @WithDefault("5m")
    java.time.Duration maxBackoff();

    /**
     * How often objects labelled as Sluice's whose job row does not exist are deleted (e.g. after
     * restoring an older database). Claims are never collected.
     */
    @WithDefault("5m")
    java.time.Duration gcInterval();

    /**
     * How often the caches are checked against the API server (a paged list of each kind's names
     * and versions); a cache that no longer mirrors it — the server restored or restarted empty, a
     * gap in a watch — is listed afresh and its jobs reconciled.
     */
    @WithDefault("5m")
    java.time.Duration cacheCheckInterval();

    /**
     * How often API discovery is asked which engine operators (Spark, Flink) the cluster offers. A
     * job of an engine that appears is reconciled at once; one whose engine is missing waits with
     * condition OperatorMissing.
     */
    @WithDefault("30s")
    java.time.Duration engineCheckInterval();

    /**
     * Run Jobs of one pass created at once, per replica: runs that queued up for a job while its
     * previous pass ran are submitted together instead of one API round trip after another.
     */
    @WithDefault("8")
    int parallelCreates();

    /** Re-reads and retries of a write that lost a resourceVersion race. */
    @WithDefault("3")
    int conflictRetries();

    /**
     * Jobs claimed per claim statement while a backlog drains (at least {@code workers}): the
     * replica holds up to twice this many, running or waiting for a worker, and while its last
     * claim came back full it claims again only when this many have finished. Larger batches mean
     * fewer claim round trips; every claimed job is leased to this replica until its pass ends. 64
     * made a resync of 2,000 unchanged jobs about 30 % faster than 16 (bench/README.md).
     */
    @WithDefault("64")
    int claimBatch();
  }

  /** Log reads that follow a running pod. */
  Logs logs();

  interface Logs {
    /**
     * Followed log streams open at once on this replica; each holds an API-server stream. Beyond it
     * a follow is refused with 429 and Retry-After.
     */
    @WithDefault("64")
    int maxFollowStreams();

    /** Followed log streams one caller may hold open at once on this replica. */
    @WithDefault("4")
    int maxFollowStreamsPerCaller();

    /**
     * Keep each ended run's logs in PostgreSQL (the last {@code keep-bytes} per container,
     * compressed), so they outlive the pod, the Job's TTL and node loss.
     */
    @WithDefault("true")
    boolean keep();

    /** Bytes of each container's log kept; older lines are cut, with a marker saying so. */
    @WithDefault("1048576")
    int keepBytes();

    /** How long kept logs stay; purged in the background after that. */
    @WithDefault("7d")
    java.time.Duration retention();

    /** Runs whose logs wait to be kept, at most; beyond it the oldest waiting ones are skipped. */
    @WithDefault("10000")
    int keepQueue();

    /** Threads copying ended runs' logs; each holds one API-server log read at a time. */
    @WithDefault("2")
    int keepWorkers();
  }

  /** The web console under {@code /ui}. */
  Console console();

  interface Console {
    /** Serve the console; off, {@code /ui} answers 404 and the API is unchanged. */
    @WithDefault("true")
    boolean enabled();

    /** How long a console sign-in lasts (never longer than its API token). */
    @WithDefault("12h")
    java.time.Duration sessionTtl();

    /** Sessions one API token may hold at once; signing in again ends the oldest beyond this. */
    @WithDefault("20")
    int maxSessionsPerToken();
  }

  /** The watch API ({@code ?watch=true}). */
  Watch watch();

  interface Watch {
    /** How often each replica reads new changes from PostgreSQL (the latency of an event). */
    @WithDefault("250ms")
    java.time.Duration poll();

    /**
     * How long changes are kept to resume a watch from; a watch from an older resourceVersion gets
     * 410 Gone and must list again.
     */
    @WithDefault("15m")
    java.time.Duration retention();

    /** Watches open at once on this replica; beyond it a watch is refused with 429. */
    @WithDefault("1000")
    int maxWatches();

    /** Watches one caller may hold open at once on this replica. */
    @WithDefault("16")
    int maxWatchesPerCaller();

    /**
     * Events waiting to be sent to one watcher; a slower watcher is caught up from PostgreSQL
     * instead, so memory stays bounded whatever the client's speed.
     */
    @WithDefault("256")
    int queue();

    /** A BOOKMARK (the current resourceVersion) is sent after this long without an event. */
    @WithDefault("15s")
    java.time.Duration bookmarkInterval();

    /**
     * A watch ends after this long (or its timeoutSeconds); the client resumes from its last id.
     */
    @WithDefault("30m")
    java.time.Duration maxDuration();
  }

  /** The pipeline engine: how pipeline runs advance and scheduled pipelines fire. */
  Pipelines pipelines();

  interface Pipelines {
    /**
     * Threads advancing pipeline runs on this replica. Each pass over a run is one transaction
     * holding that run's row ({@code FOR UPDATE SKIP LOCKED}), so replicas share the work.
     */
    @WithDefault("2")
    int workers();

    /**
     * How often an idle engine looks for due pipeline runs and scheduled pipelines. Runs are
     * advanced when a step's run ends (woken at once on this replica, at this poll on others).
     */
    @WithDefault("1s")
    java.time.Duration poll();

    /**
     * Longest time a running pipeline run goes without a pass: a safety net for a wake-up lost in a
     * crash, not how steps start.
     */
    @WithDefault("30s")
    java.time.Duration resync();

    /** Pipeline revision specs cached per replica (they are immutable). */
    @WithDefault("512")
    int specCache();
  }

  /** Idempotency-Key handling of the POSTs that create something. */
  Idempotency idempotency();

  interface Idempotency {
    /** How long a key's stored response is replayed; expired keys are purged. */
    @WithDefault("24h")
    java.time.Duration retention();
  }

  /** The Kubernetes API Sluice works against. */
  Kubernetes kubernetes();

  interface Kubernetes {
    /**
     * Refuse to start when the Kubernetes API cannot be reached, with a message saying how to
     * configure one (or how to run the sandbox instead). On by default: production never silently
     * runs without a cluster.
     */
    @WithDefault("true")
    boolean requireAtStartup();

    /**
     * The namespace Sluice itself runs in (k8s/base sets it from the pod's own namespace). It holds
     * Sluice's database credentials and service account, so jobs never run there unless its policy
     * says {@code allow-reserved-namespace}; neither do they in {@code kube-*} namespaces.
     */
    @WithDefault("sluice")
    String namespace();

    /** Sluice's own ServiceAccount in that namespace: never usable by a job. */
    @WithDefault("sluice")
    String serviceAccount();
  }

  /** Sandbox mode: embedded services so Sluice runs on a laptop with nothing installed. */
  Sandbox sandbox();

  interface Sandbox {
    /**
     * Run against embedded services. On by default in dev mode ({@code ./mvnw quarkus:dev}); for
     * the packaged jar pass {@code -Dsluice.sandbox.enabled=true}. Never on in production unless
     * set explicitly. A configured {@code quarkus.datasource.jdbc.url} always wins.
     */
    @WithDefault("false")
    boolean enabled();

    /** Where the sandbox keeps its data (PostgreSQL files), so a restart keeps the jobs. */
    @WithDefault(".sluice/sandbox")
    String dataDir();

    /**
     * The sandbox's operator token. When unset, one is generated on first start and kept in {@code
     * <data-dir>/token}, so it survives restarts; either way it is printed at start-up.
     */
    java.util.Optional<String> token();

    /** Simulated kubelet: how long a pod stays Pending before it runs. */
    @WithDefault("1s")
    java.time.Duration podStartDelay();

    /** Simulated kubelet: how long a batch pod runs before it completes. */
    @WithDefault("3s")
    java.time.Duration runDuration();

    /** How often the simulated controllers look at the cluster. */
    @WithDefault("200ms")
    java.time.Duration tick();

    /** Allocatable CPU of the simulated node: pods asking for more stay Unschedulable. */
    @WithDefault("8")
    String nodeCpu();

    /** Allocatable memory of the simulated node: pods asking for more stay Unschedulable. */
    @WithDefault("16Gi")
    String nodeMemory();

    /**
     * Storage classes the simulated cluster provisions; a claim naming another stays Pending
     * (ProvisioningFailed), and a claim naming none gets the first.
     */
    @WithDefault("standard")
    java.util.List<String> storageClasses();

    /**
     * Image prefixes the simulated kubelet takes to run as a non-root USER. Any other image is
     * assumed to run as root, as most data images do, so a pod with runAsNonRoot and no runAsUser
     * fails with CreateContainerConfigError, as it would on a cluster. Sluice's default runAsUser
     * (the namespace policy's defaultRunAsUser) avoids that.
     */
    @WithDefault("gcr.io/distroless/,cgr.dev/chainguard/")
    java.util.List<String> nonRootImages();

    /**
     * Engine operators the simulated cluster has installed (their CRDs served, their controllers
     * played by the simulator): {@code spark}, {@code flink}, or {@code none} for a cluster without
     * either.
     */
    @WithDefault("spark,flink")
    java.util.List<String> operators();
  }

  interface Paging {
    /** Page size when the caller gives no {@code limit}. */
    @WithDefault("50")
    int defaultLimit();

    /** Largest page size a caller may ask for. */
    @WithDefault("500")
    int maxLimit();
  }
}
