package io.sluice.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.api.Reason;
import io.sluice.api.SluiceException;
import org.junit.jupiter.api.Test;

/** The bounds on followed log streams: per caller, per replica, and slots given back once. */
class LogStreamsTest {
  @Test
  void aCallerGetsItsShareAndNoMoreOthersStillGetTheirs() {
    LogStreams streams = new LogStreams(10, 2);
    LogStreams.Slot first = streams.acquire("token:a");
    streams.acquire("token:a");
    SluiceException refused = assertThrows(SluiceException.class, () -> streams.acquire("token:a"));
    assertEquals(Reason.TOO_MANY_REQUESTS, refused.reason());
    assertEquals(429, refused.reason().status());
    streams.acquire("token:b");
    first.close();
    first.close();
    streams.acquire("token:a");
    assertEquals(3, streams.open(), "a slot closed twice is given back once");
  }

  @Test
  void theReplicaBoundHoldsAcrossCallers() {
    LogStreams streams = new LogStreams(3, 2);
    streams.acquire("a");
    streams.acquire("b");
    LogStreams.Slot third = streams.acquire("c");
    assertThrows(SluiceException.class, () -> streams.acquire("d"));
    third.close();
    streams.acquire("d");
    assertEquals(3, streams.open());
  }
}
