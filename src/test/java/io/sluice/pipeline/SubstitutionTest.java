package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ${params.NAME}: one pass, values are data. */
class SubstitutionTest {
  @Test
  void referencesAreReplacedOnceAndValuesAreNeverExpandedAgain() {
    Map<String, String> values =
        Map.of("date", "${params.secret}", "secret", "s3cr3t", "path", "$1\\x");
    assertEquals(
        "--date=${params.secret} --path=$1\\x",
        Substitution.apply("--date=${params.date} --path=${params.path}", values));
  }

  @Test
  void otherDollarBracesAreLeftForTheShell() {
    assertEquals("${HOME}/x", Substitution.apply("${HOME}/x", Map.of()));
    assertEquals(Set.of(), Substitution.references("${HOME} $params.x"));
  }

  @Test
  void malformedReferencesAreReportedSoValidationCanRefuseThem() {
    Set<String> refs = Substitution.references("${params.ok} ${params.bad-name} ${params.open");
    assertTrue(refs.contains("ok"));
    assertTrue(refs.contains("bad-name"));
    assertTrue(refs.contains("${params.open"));
    assertTrue(Substitution.wellFormed("ok"));
    assertFalse(Substitution.wellFormed("bad-name"));
    assertFalse(Substitution.wellFormed("${params.open"));
  }
}
