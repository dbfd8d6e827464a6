package io.sluice.api;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ETagsTest {

  @Test
  void ifMatchUsesStrongComparison() {
    assertDoesNotThrow(() -> ETags.checkIfMatch(null, 3));
    assertDoesNotThrow(() -> ETags.checkIfMatch("\"3\"", 3));
    assertDoesNotThrow(() -> ETags.checkIfMatch("\"1\", \"3\"", 3));
    assertDoesNotThrow(() -> ETags.checkIfMatch("*", 3));
    SluiceException stale =
        assertThrows(SluiceException.class, () -> ETags.checkIfMatch("\"2\"", 3));
    assertEquals(Reason.PRECONDITION_FAILED, stale.reason());
    assertThrows(SluiceException.class, () -> ETags.checkIfMatch("W/\"3\"", 3));
    assertThrows(SluiceException.class, () -> ETags.checkIfMatch("3", 3));
  }

  @Test
  void ifNoneMatchUsesWeakComparison() {
    assertTrue(ETags.matchesWeakly("W/\"3\"", 3));
    assertTrue(ETags.matchesWeakly("\"3\"", 3));
    assertFalse(ETags.matchesWeakly("\"4\"", 3));
  }

  @Test
  void cursorsRoundTripAndRejectForeignKinds() {
    String c = Cursor.encode("job", "ns", "name");
    assertEquals(java.util.List.of("ns", "name"), Cursor.decode(c, "job", 2));
    assertThrows(SluiceException.class, () -> Cursor.decode(c, "event", 2));
    assertThrows(SluiceException.class, () -> Cursor.decode("!!!", "job", 2));
  }
}
