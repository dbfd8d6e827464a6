package io.sluice.watch;

import io.sluice.api.StreamSlots;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One open watch: where it stands in the history and the events waiting for the client. Touched
 * only from the hub's thread. While it is live, the hub hands it each new change; when it is behind
 * (a resumed watch, a slow client whose queue filled), it catches up from PostgreSQL in batches
 * instead, so a slow client costs a cursor, not memory.
 */
final class Subscription {
  /** The resources that exist when a watch starts without a resourceVersion, page by page. */
  interface InitialState {
    Page page(String cursor);

    record Page(List<?> items, String nextCursor) {}
  }

  private record Out(String name, String id, String data) {}

  final WatchTarget target;
  private final StreamSlots.Slot slot;
  private final Sse sse;
  private final int capacity;
  private final ArrayDeque<Out> queue = new ArrayDeque<>();
  private MultiEmitter<? super OutboundSseEvent> emitter;

  /** The last change this watch has queued, or skipped as not its own. */
  long cursor;

  /** Fed by the hub's fan-out; false while catching up from PostgreSQL. */
  boolean live;

  /** The initial state still to send (null once sent, or for a resumed watch). */
  InitialState initial;

  String initialCursor;
  final long deadlineNanos;

  /** Whether what authenticated the watch still would; checked every bookmark interval. */
  final java.util.function.BooleanSupplier authenticated;

  long nextAuthCheckNanos = System.nanoTime();
  long lastQueuedNanos = System.nanoTime();
  private boolean ending;
  private boolean closed;

  Subscription(
      WatchTarget target,
      StreamSlots.Slot slot,
      Sse sse,
      int capacity,
      long from,
      InitialState initial,
      long deadlineNanos,
      java.util.function.BooleanSupplier authenticated) {
    this.target = target;
    this.slot = slot;
    this.sse = sse;
    this.capacity = capacity;
    this.cursor = from;
    this.initial = initial;
    this.deadlineNanos = deadlineNanos;
    this.authenticated = authenticated;
  }

  void attach(MultiEmitter<? super OutboundSseEvent> emitter) {
    this.emitter = emitter;
  }

  boolean full() {
    return queue.size() >= capacity;
  }

  int room() {
    return Math.max(0, capacity - queue.size());
  }

  boolean ending() {
    return ending || closed;
  }

  /** Queues an event; {@code id} is the resourceVersion to resume after it (null: none). */
  void queue(String name, String id, String data) {
    queue.add(new Out(name, id, data));
    lastQueuedNanos = System.nanoTime();
  }

  /** Queues a last event; the stream completes once the client has it. */
  void end(String name, String id, String data) {
    if (!ending) {
      queue(name, id, data);
      ending = true;
    }
  }

  /** Sends what the client has asked for; completes the stream after its last event. */
  void drain() {
    if (emitter == null || closed) {
      return;
    }
    while (!queue.isEmpty() && emitter.requested() > 0 && !emitter.isCancelled()) {
      Out out = queue.poll();
      var event = sse.newEventBuilder().name(out.name()).mediaType(MediaType.TEXT_PLAIN_TYPE);
      if (out.id() != null) {
        event.id(out.id());
      }
      emitter.emit(event.data(String.class, out.data()).build());
    }
    if (ending && queue.isEmpty()) {
      emitter.complete();
      close();
    }
  }

  /** Gives the slot back; the hub forgets this watch. */
  void close() {
    if (!closed) {
      closed = true;
      queue.clear();
      slot.close();
    }
  }

  boolean closed() {
    return closed;
  }
}
