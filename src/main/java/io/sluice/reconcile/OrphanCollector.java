package io.sluice.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes objects that carry Sluice's labels but whose job has no row at all in PostgreSQL (the
 * source of truth): left behind by a restored backup, say. Runs only once the caches have synced,
 * so an object is never judged by an incomplete view, and never deletes claims (data) or pods (they
 * go with their owners). Deleted jobs keep their rows, so their kept volumes are safe.
 */
public class OrphanCollector {
  private static final Logger LOG = Logger.getLogger(OrphanCollector.class);

  private final ClusterCache cache;
  private final Applier applier;
  private final DataSource db;

  public OrphanCollector(ClusterCache cache, Applier applier, DataSource db) {
    this.cache = cache;
    this.applier = applier;
    this.db = db;
  }

  /** One collection pass; returns how many objects were deleted. */
  public int collect() {
    if (!cache.synced()) {
      return 0;
    }
    Set<String> orphans = new HashSet<>(cache.jobIds());
    orphans.removeAll(known(orphans));
    int deleted = 0;
    for (String jobId : orphans) {
      for (Class<? extends HasMetadata> kind : cache.kinds()) {
        if (kind == PersistentVolumeClaim.class || kind == Pod.class) {
          continue;
        }
        for (HasMetadata o : cache.byJob(kind, jobId)) {
          LOG.warnf(
              "Deleting %s: labelled as Sluice job %s, which PostgreSQL does not know",
              Applier.describe(o), jobId);
          applier.delete(o);
          deleted++;
        }
      }
    }
    return deleted;
  }

  private Set<String> known(Set<String> ids) {
    Set<String> known = new HashSet<>();
    List<UUID> uuids =
        ids.stream()
            .flatMap(
                id -> {
                  try {
                    return java.util.stream.Stream.of(UUID.fromString(id));
                  } catch (IllegalArgumentException e) {
                    return java.util.stream.Stream.empty();
                  }
                })
            .toList();
    if (uuids.isEmpty()) {
      return known;
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE id = ANY (?)")) {
      Array array = c.createArrayOf("uuid", uuids.toArray());
      ps.setArray(1, array);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          known.add(rs.getObject(1, UUID.class).toString());
        }
      }
    } catch (java.sql.SQLException e) {
      // Without the database's answer nothing is an orphan: better keep than wrongly delete.
      LOG.warnf("Orphan collection skipped: %s", e.getMessage());
      return ids;
    }
    return known;
  }
}
