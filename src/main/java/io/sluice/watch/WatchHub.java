package io.sluice.watch;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import io.sluice.api.StreamSlots;
import io.sluice.config.SluiceConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Serves every watch of this replica from one thread: it reads the watch history in commit order
 * ({@link ChangeFeed}), reads each new change's resource once and hands the event to the live
 * watches it concerns, catches up watches that are behind from PostgreSQL, sends bookmarks to quiet
 * ones, ends expired ones and prunes the history. Replicas share nothing but PostgreSQL, so a watch
 * sees every change whichever replica made it.
 */
@ApplicationScoped
public class WatchHub {
  private static final Logger LOG = Logger.getLogger(WatchHub.class);
  private static final int BATCH = 500;
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  private final ChangeFeed feed;
  private final WatchObjects objects;
  private final SluiceConfig.Watch config;
  private final Slots slots;
  private final Set<Subscription> subscriptions = new LinkedHashSet<>();
  private ScheduledExecutorService thread;
  private long nextPruneNanos;
  private final java.util.concurrent.atomic.AtomicBoolean woken =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** The bound on open watches. */
  static final class Slots extends StreamSlots {
    Slots(SluiceConfig.Watch config) {
      super(config.maxWatches(), config.maxWatchesPerCaller(), "open watches");
    }
  }

  public WatchHub(DataSource db, WatchObjects objects, SluiceConfig config) {
    this.feed = new ChangeFeed(db);
    this.objects = objects;
    this.config = config.watch();
    this.slots = new Slots(this.config);
  }

  void start(@Observes StartupEvent event) throws SQLException {
    feed.start();
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-watch");
              t.setDaemon(true);
              return t;
            });
    long every = config.poll().toMillis();
    thread.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    nextPruneNanos = System.nanoTime() + PRUNE_EVERY.toNanos();
  }

  void stop(@Observes ShutdownEvent event) {
    if (thread != null) {
      thread.execute(
          () -> {
            for (Subscription s : List.copyOf(subscriptions)) {
              bookmark(s, true);
              s.drain();
            }
          });
      thread.shutdown();
    }
  }

  /**
   * The resourceVersion a list read now may be watched from: every change at or below it is already
   * committed, so it is in the list or the watch will send it.
   */
  public String resourceVersion() {
    return Long.toString(settledNow());
  }

  /** The position after reading what has committed by now (a hop to the hub's thread). */
  private long settledNow() {
    try {
      return CompletableFuture.supplyAsync(
              () -> {
                poll();
                return feed.position();
              },
              thread)
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not read the watch position", e);
    }
  }

  /**
   * Opens a watch for {@code caller}: from {@code resourceVersion} (null: the current state first,
   * as ADDED events, then every change). Refuses a position older than the kept history (410) or
   * one this server never gave (410 too: the client must list again), and more watches than allowed
   * (429).
   */
  public Multi<OutboundSseEvent> open(
      String caller,
      WatchTarget target,
      Long resourceVersion,
      Subscription.InitialState initial,
      Duration timeout,
      java.util.function.BooleanSupplier authenticated,
      Sse sse) {
    long head = feed.position();
    long from = head;
    if (resourceVersion != null) {
      if (resourceVersion > head) {
        head = settledNow();
      }
      long horizon = horizon();
      if (resourceVersion < horizon) {
        throw new SluiceException(
            Reason.EXPIRED,
            "resourceVersion "
                + resourceVersion
                + " is older than the history this server keeps (from "
                + horizon
                + "); list again and watch from the list's resourceVersion");
      }
      if (resourceVersion > head) {
        throw new SluiceException(
            Reason.EXPIRED,
            "resourceVersion "
                + resourceVersion
                + " is newer than any this server gave (latest "
                + head
                + "); list again and watch from the list's resourceVersion");
      }
      from = resourceVersion;
    }
    StreamSlots.Slot slot = slots.acquire(caller);
    Duration limit =
        timeout == null || timeout.compareTo(config.maxDuration()) > 0
            ? config.maxDuration()
            : timeout;
    Subscription s =
        new Subscription(
            target,
            slot,
            sse,
            config.queue(),
            from,
            resourceVersion == null ? initial : null,
            System.nanoTime() + limit.toNanos(),
            authenticated);
    return Multi.createFrom()
        .<OutboundSseEvent>emitter(
            emitter -> {
              s.attach(emitter);
              emitter.onRequest(n -> thread.execute(() -> serve(s)));
              emitter.onTermination(() -> thread.execute(() -> forget(s)));
              thread.execute(
                  () -> {
                    subscriptions.add(s);
                    serve(s);
                  });
            },
            BackPressureStrategy.ERROR);
  }

  private long horizon() {
    try {
      return feed.horizon();
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the watch horizon", e);
    }
  }

  /**
   * A change committed on this replica (an API write): read it now rather than at the next poll, so
   * a watcher sees a write made through this replica within milliseconds. Changes made elsewhere
   * (other replicas, the status observer) arrive with the next poll.
   */
  void onJobChanged(
      @Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
          io.sluice.job.JobChanged change) {
    wake();
  }

  void onPipelineChanged(
      @Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
          io.sluice.pipeline.PipelineChanged change) {
    wake();
  }

  private void wake() {
    if (thread == null || thread.isShutdown() || slots.open() == 0) {
      return;
    }
    if (woken.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            woken.set(false);
            try {
              poll();
              for (Subscription s : List.copyOf(subscriptions)) {
                serve(s);
              }
            } catch (RuntimeException e) {
              LOG.warnf("watch: %s", e.getMessage());
            }
          });
    }
  }

  /** Open watches on this replica. */
  public int open() {
    return slots.open();
  }

  private void forget(Subscription s) {
    subscriptions.remove(s);
    s.close();
  }

  private void tick() {
    try {
      poll();
      long now = System.nanoTime();
      for (Subscription s : List.copyOf(subscriptions)) {
        if (now - s.deadlineNanos > 0) {
          bookmark(s, true);
        } else if (!s.ending() && now - s.nextAuthCheckNanos > 0) {
          s.nextAuthCheckNanos = now + config.bookmarkInterval().toNanos();
          if (!s.authenticated.getAsBoolean()) {
            fail(
                s,
                Reason.UNAUTHENTICATED,
                "The token (or console session) behind this watch was revoked or has expired");
          }
        } else if (s.live && now - s.lastQueuedNanos > config.bookmarkInterval().toNanos()) {
          bookmark(s, false);
        }
        serve(s);
      }
      if (now - nextPruneNanos > 0) {
        nextPruneNanos = now + PRUNE_EVERY.toNanos();
        int pruned = feed.prune(config.retention());
        if (pruned > 0) {
          LOG.debugf("pruned %d watch events", pruned);
        }
      }
    } catch (Exception e) {
      LOG.warnf("watch: %s", e.getMessage());
    }
  }

  /** Reads new changes and hands them to the live watches they concern. */
  private void poll() {
    List<Change> changes;
    try {
      changes = feed.poll(BATCH);
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the watch history: " + e.getMessage(), e);
    }
    if (changes.isEmpty()) {
      advanceLive();
      return;
    }
    List<Change> wanted = new ArrayList<>();
    for (Change c : changes) {
      if (subscriptions.stream().anyMatch(s -> s.live && s.target.matches(c))) {
        wanted.add(c);
      }
    }
    Map<Long, String> events = wanted.isEmpty() ? Map.of() : objects.events(wanted);
    for (Subscription s : subscriptions) {
      if (!s.live) {
        continue;
      }
      for (Change c : wanted) {
        String data = events.get(c.id());
        if (c.id() <= s.cursor || data == null || !s.target.matches(c)) {
          continue;
        }
        if (s.full()) {
          // Too slow for the fan-out: catch up from PostgreSQL once the client has read more.
          s.live = false;
          break;
        }
        s.queue(c.type(), Long.toString(c.id()), data);
        s.cursor = c.id();
      }
    }
    advanceLive();
  }

  private void advanceLive() {
    for (Subscription s : subscriptions) {
      if (s.live) {
        s.cursor = Math.max(s.cursor, feed.position());
      }
    }
  }

  /** Sends what a watch can take: its initial state, its catch-up, its queue. */
  private void serve(Subscription s) {
    if (s.closed()) {
      subscriptions.remove(s);
      return;
    }
    try {
      if (!s.ending() && !s.live && s.room() > 0) {
        if (s.initial != null) {
          sendInitial(s);
        } else {
          catchUp(s);
        }
      }
    } catch (RuntimeException | SQLException e) {
      LOG.warnf("watch: could not catch a watch up: %s", e.getMessage());
      fail(
          s,
          Reason.SERVICE_UNAVAILABLE,
          "The watch history could not be read; resume from the last resourceVersion");
    }
    s.drain();
    if (s.closed()) {
      subscriptions.remove(s);
    }
  }

  private void sendInitial(Subscription s) {
    Subscription.InitialState.Page page = objects.read(() -> s.initial.page(s.initialCursor));
    for (Object item : page.items()) {
      s.queue("ADDED", null, objects.event("ADDED", null, item));
    }
    s.initialCursor = page.nextCursor();
    if (s.initialCursor == null) {
      s.initial = null;
      bookmark(s, false);
    }
  }

  private void catchUp(Subscription s) throws SQLException {
    long head = feed.position();
    int limit = s.room();
    List<Change> changes =
        feed.read(s.cursor, head, s.target.kind(), s.target.namespace(), s.target.parent(), limit);
    if (feed.horizon() > s.cursor) {
      fail(
          s,
          Reason.EXPIRED,
          "This watch fell behind the history this server keeps; list again and watch"
              + " from the list's resourceVersion");
      return;
    }
    List<Change> mine = changes.stream().filter(s.target::matches).toList();
    Map<Long, String> events = mine.isEmpty() ? Map.of() : objects.events(mine);
    for (Change c : mine) {
      String data = events.get(c.id());
      if (data != null) {
        s.queue(c.type(), Long.toString(c.id()), data);
      }
    }
    if (changes.size() < limit) {
      s.cursor = head;
      s.live = true;
    } else {
      s.cursor = changes.get(changes.size() - 1).id();
    }
  }

  private void bookmark(Subscription s, boolean last) {
    if (s.initial != null && !last) {
      return;
    }
    String rv = Long.toString(s.live ? Math.max(s.cursor, feed.position()) : s.cursor);
    String data = objects.event("BOOKMARK", rv, null);
    if (last) {
      s.end("BOOKMARK", s.initial != null ? null : rv, data);
    } else {
      s.queue("BOOKMARK", rv, data);
    }
  }

  /** Ends a watch with an ERROR event carrying a problem document. */
  private void fail(Subscription s, Reason reason, String detail) {
    s.end(
        "ERROR",
        null,
        objects.event("ERROR", null, io.sluice.api.Problem.of(reason, detail, null, null)));
  }
}
