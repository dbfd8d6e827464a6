package io.sluice.run;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Keeps the logs of runs that ended, so they can be read after the pod and its Job are gone (the
 * Job's TTL, a node lost). Told by the status observer when a run ends; copies the last {@code
 * sluice.logs.keep-bytes} of each container of the run's newest pod into {@link KeptLogs} on
 * workers of its own ({@code keep-workers}), from a bounded queue, so a burst of runs ending at
 * once delays no status write or submit. Purges kept logs past their retention in the background.
 */
@ApplicationScoped
public class LogKeeper {
  private static final Logger LOG = Logger.getLogger(LogKeeper.class);
  static final String MARKER = "[sluice: %d earlier bytes of this log were not kept]";

  private final KubernetesClient client;
  private final DataSource db;
  private final KeptLogs kept;
  private final SluiceConfig.Logs config;
  private final BlockingQueue<Ended> queue;
  private ExecutorService worker;

  private record Ended(UUID jobId, int number) {}

  public LogKeeper(KubernetesClient client, DataSource db, KeptLogs kept, SluiceConfig config) {
    this.client = client;
    this.db = db;
    this.kept = kept;
    this.config = config.logs();
    this.queue = new ArrayBlockingQueue<>(Math.max(1, config.logs().keepQueue()));
  }

  @jakarta.annotation.PostConstruct
  void startWorker() {
    int workers = Math.max(1, config.keepWorkers());
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    worker =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "sluice-log-keeper-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < workers; i++) {
      worker.submit(this::work);
    }
  }

  /**
   * A run ended: its logs are kept soon. Never blocks; when the queue is full the oldest waits no
   * more.
   */
  public void ended(UUID jobId, int number) {
    if (!config.keep()) {
      return;
    }
    Ended run = new Ended(jobId, number);
    while (!queue.offer(run)) {
      Ended dropped = queue.poll();
      if (dropped != null) {
        LOG.warnf(
            "Log keeper queue full: the logs of run %d of job %s are not kept",
            dropped.number, dropped.jobId);
      }
    }
  }

  /** Runs waiting to be kept (for tests and metrics). */
  int waiting() {
    return queue.size();
  }

  private void work() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        keep(queue.take());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warnf("Could not keep a run's logs: %s", e.getMessage());
      }
    }
  }

  /** Copies the logs of one run's newest pod, every container of it. */
  void keep(Ended run) {
    Optional<RunRef> ref = find(run);
    if (ref.isEmpty()) {
      return;
    }
    Optional<Pod> pod;
    try {
      pod = RunPods.newest(client, ref.get().namespace, run.jobId, ref.get().k8sName, run.number);
    } catch (KubernetesClientException e) {
      LOG.debugf("Pods of run %d not listed: %s", run.number, e.getMessage());
      return;
    }
    if (pod.isEmpty()) {
      return;
    }
    for (Container container : pod.get().getSpec().getContainers()) {
      String name = pod.get().getMetadata().getName();
      try (InputStream in =
          RawLogs.open(
              client,
              ref.get().namespace,
              name,
              Map.of("container", container.getName(), "timestamps", "true"))) {
        Tail tail = Tail.of(in, config.keepBytes());
        kept.keep(ref.get().id, name, container.getName(), tail.bytes(), tail.truncated());
      } catch (IOException | KubernetesClientException e) {
        LOG.debugf("Log of %s/%s not kept: %s", name, container.getName(), e.getMessage());
      }
    }
  }

  /** The last bytes of a stream, cut at a line start, and whether anything was cut. */
  record Tail(byte[] bytes, boolean truncated) {
    static Tail of(InputStream in, int keep) throws IOException {
      byte[] ring = new byte[Math.max(1, keep)];
      long total = 0;
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          ring[(int) ((total + i) % ring.length)] = buffer[i];
        }
        total += n;
      }
      if (total <= ring.length) {
        byte[] all = new byte[(int) total];
        System.arraycopy(ring, 0, all, 0, (int) total);
        return new Tail(all, false);
      }
      byte[] last = new byte[ring.length];
      int start = (int) (total % ring.length);
      System.arraycopy(ring, start, last, 0, ring.length - start);
      System.arraycopy(ring, 0, last, ring.length - start, start);
      int cut = 0;
      while (cut < last.length && last[cut] != '\n') {
        cut++;
      }
      cut = Math.min(last.length, cut + 1);
      long dropped = total - (last.length - cut);
      byte[] marker = (String.format(MARKER, dropped) + "\n").getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[marker.length + last.length - cut];
      System.arraycopy(marker, 0, out, 0, marker.length);
      System.arraycopy(last, cut, out, marker.length, last.length - cut);
      return new Tail(out, true);
    }
  }

  private record RunRef(UUID id, String namespace, String k8sName) {}

  private Optional<RunRef> find(Ended run) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, namespace, k8s_name FROM runs WHERE job_id = ? AND number = ?")) {
      ps.setObject(1, run.jobId);
      ps.setInt(2, run.number);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new RunRef(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read run " + run.number, e);
    }
  }

  @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void purge() {
    int purged = kept.purge(config.retention());
    if (purged > 0) {
      LOG.infof("Purged %d kept run logs older than %s", purged, config.retention());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }
}
