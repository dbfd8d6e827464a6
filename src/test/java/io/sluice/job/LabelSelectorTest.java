package io.sluice.job;

import static org.junit.jupiter.api.Assertions.*;

import io.sluice.api.SluiceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  @Test
  void equalityBecomesJsonbContainmentWithBoundValues() {
    LabelSelector s = LabelSelector.parse("team=data,tier!=gold");
    assertEquals(
        List.of("labels @> cast(? as jsonb)", "NOT labels @> cast(? as jsonb)"), s.clauses());
    assertEquals(List.of("{\"team\":\"data\"}", "{\"tier\":\"gold\"}"), s.values());
  }

  @Test
  void setAndExistenceRequirements() {
    LabelSelector s = LabelSelector.parse("env in (prod, staging),app notin (x),owner,!legacy");
    assertEquals(4, s.clauses().size());
    assertTrue(s.clauses().get(0).contains(" OR "));
    assertTrue(s.clauses().get(1).startsWith("NOT ("));
    assertEquals("jsonb_exists(labels, ?)", s.clauses().get(2));
    assertEquals("NOT jsonb_exists(labels, ?)", s.clauses().get(3));
    assertEquals(
        List.of(
            "{\"env\":\"prod\"}", "{\"env\":\"staging\"}", "{\"app\":\"x\"}", "owner", "legacy"),
        s.values());
  }

  @Test
  void emptySelectorSelectsEverything() {
    assertTrue(LabelSelector.parse("").clauses().isEmpty());
    assertTrue(LabelSelector.parse(null).clauses().isEmpty());
  }

  @Test
  void injectionAttemptsAreRejectedNotSpliced() {
    for (String bad :
        List.of("a='x' or 1=1", "a=b;drop table jobs", "a in (b", "\"a\"=b", "a=b\\", "=x")) {
      assertThrows(SluiceException.class, () -> LabelSelector.parse(bad), bad);
    }
  }
}
