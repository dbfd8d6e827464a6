package io.sluice.watch;

import static org.junit.jupiter.api.Assertions.*;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.sluice.support.Fixtures;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The watch history is read in commit order, not id order: a change whose transaction is still open
 * holds back every later one, and a rolled-back id is skipped once nothing can commit it.
 */
@QuarkusTest
@WithKubernetesTestServer
class ChangeFeedTest {
  @Inject DataSource db;

  private final String ns = Fixtures.namespace();

  private long insert(Connection c, String name) throws Exception {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO watch_events (kind, namespace, name, parent_id, object_id, type)"
                + " VALUES ('job', ?, ?, ?, ?, 'ADDED') RETURNING id")) {
      UUID id = UUID.randomUUID();
      insert.setString(1, ns);
      insert.setString(2, name);
      insert.setObject(3, id);
      insert.setObject(4, id);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<String> mine(ChangeFeed feed) throws Exception {
    List<String> names = new ArrayList<>();
    for (Change c : feed.poll(1000)) {
      if (ns.equals(c.namespace())) {
        names.add(c.name());
      }
    }
    return names;
  }

  private List<String> settle(ChangeFeed feed) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 50 && names.isEmpty(); i++) {
      names.addAll(mine(feed));
      Thread.sleep(50);
    }
    return names;
  }

  @Test
  void anOpenTransactionHoldsBackLaterCommitsAndARollbackIsSkipped() throws Exception {
    ChangeFeed feed = new ChangeFeed(db);
    feed.start();
    while (!feed.poll(1000).isEmpty()) {
      // up to now
    }
    try (Connection slow = db.getConnection();
        Connection fast = db.getConnection()) {
      slow.setAutoCommit(false);
      long first = insert(slow, "first");
      long second = insert(fast, "second");
      assertTrue(second > first, "the open transaction took the lower id");
      assertEquals(List.of(), mine(feed), "'second' waits while 'first' may still commit");
      assertEquals(List.of(), mine(feed));
      assertTrue(feed.position() < first);
      slow.commit();
      assertEquals(List.of("first", "second"), settle(feed), "in id order, once both committed");

      slow.setAutoCommit(false);
      insert(slow, "rolled-back");
      slow.rollback();
      insert(fast, "after-rollback");
      assertEquals(List.of("after-rollback"), settle(feed), "the rolled-back id is skipped");
    }
  }
}
