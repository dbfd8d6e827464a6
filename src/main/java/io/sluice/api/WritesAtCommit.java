package io.sluice.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes whose answer no one reads before the commit — a run's row, an audit event, the answer
 * stored for an {@code Idempotency-Key} — held until the transaction is about to commit and then
 * sent together: one round trip to PostgreSQL instead of one each. They commit or roll back with
 * everything else the transaction wrote, as before.
 *
 * <p>Only for writes nothing in the same transaction reads back and whose failure is no answer the
 * caller is owed (a unique key a request may collide on is not one: it must fail where it can be
 * told apart). A write that fails here fails the commit: the transaction rolls back whole, and the
 * caller gets the {@link StoreException} as the commit's cause.
 */
@ApplicationScoped
public class WritesAtCommit {
  /** Binds one statement's parameters from {@code first} on; returns the index after its last. */
  @FunctionalInterface
  public interface Binder {
    int bind(PreparedStatement ps, int first) throws SQLException;
  }

  private record Write(String sql, Binder binder, String what) {}

  private final TransactionSynchronizationRegistry transaction;
  private final DataSource db;

  public WritesAtCommit(TransactionSynchronizationRegistry transaction, DataSource db) {
    this.transaction = transaction;
    this.db = db;
  }

  /**
   * Holds {@code sql} (one statement) until the current transaction commits; {@code what} names it
   * in an error ("the audit event job.created").
   */
  public void add(String sql, Binder binder, String what) {
    int status = transaction.getTransactionStatus();
    if (status == Status.STATUS_MARKED_ROLLBACK) {
      return; // it would be rolled back with the rest
    }
    if (status != Status.STATUS_ACTIVE) {
      throw new IllegalStateException("a write held until commit needs an active transaction");
    }
    Pending pending = (Pending) transaction.getResource(Pending.class);
    if (pending == null) {
      pending = new Pending();
      transaction.putResource(Pending.class, pending);
      transaction.registerInterposedSynchronization(pending);
    }
    pending.writes.add(new Write(sql, binder, what));
  }

  /** One transaction's held writes; sent before it commits, dropped if it rolls back. */
  private final class Pending implements Synchronization {
    private final List<Write> writes = new ArrayList<>(4);

    @Override
    public void beforeCompletion() {
      StringBuilder sql = new StringBuilder();
      List<String> what = new ArrayList<>(writes.size());
      for (Write write : writes) {
        sql.append(sql.isEmpty() ? "" : "; ").append(write.sql());
        what.add(write.what());
      }
      // The transaction's own connection: the writes commit with it.
      try (Connection c = db.getConnection();
          PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int next = 1;
        for (Write write : writes) {
          next = write.binder().bind(ps, next);
        }
        ps.execute();
      } catch (SQLException e) {
        throw new StoreException("Could not store " + String.join(", ", what), e);
      }
    }

    @Override
    public void afterCompletion(int status) {
      writes.clear();
    }
  }
}
