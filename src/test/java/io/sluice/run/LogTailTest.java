package io.sluice.run;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A kept log is the end of the container's log, cut at a line, saying how much was dropped. */
class LogTailTest {

  @Test
  void aShortLogIsKeptWhole() throws Exception {
    var tail = LogKeeper.Tail.of(stream("a\nb\n"), 100);
    assertFalse(tail.truncated());
    assertEquals("a\nb\n", new String(tail.bytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aLongLogKeepsItsLastWholeLinesAfterAMarker() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      log.append("line ").append(i).append('\n');
    }
    var tail = LogKeeper.Tail.of(stream(log.toString()), 64);
    assertTrue(tail.truncated());
    String kept = new String(tail.bytes(), StandardCharsets.UTF_8);
    String[] lines = kept.split("\n");
    assertTrue(lines[0].matches("\\[sluice: \\d+ earlier bytes of this log were not kept]"), kept);
    assertEquals("line 999", lines[lines.length - 1]);
    for (int i = 1; i < lines.length; i++) {
      assertTrue(lines[i].matches("line \\d+"), "whole lines only: " + kept);
    }
    long dropped = Long.parseLong(lines[0].replaceAll("\\D", ""));
    assertEquals(log.length(), dropped + kept.length() - lines[0].length() - 1);
  }

  @Test
  void aKeptLogIsSelectedAsALiveOneWouldBe() {
    String text =
        "2026-12-01T10:00:00Z first\n2026-12-01T10:00:01Z second\n2026-12-01T10:00:02Z third\n";
    assertEquals(
        "third\n", RunLogs.select(text, new LogRequest(false, 1, null, "main", false, false)));
    assertEquals(
        "2026-12-01T10:00:01Z second\n2026-12-01T10:00:02Z third\n",
        RunLogs.select(text, new LogRequest(false, 2, null, "main", false, true)));
    assertEquals("", RunLogs.select(text, new LogRequest(false, null, 60, "main", false, false)));
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
