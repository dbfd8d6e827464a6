package io.sluice.job;

import static io.sluice.job.KubernetesSyntax.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class KubernetesSyntaxTest {

  @Test
  void quantities() {
    for (String ok : new String[] {"1", "500m", "1.5Gi", "2e3", "0.5", ".5", "128974848", "1Ei"}) {
      assertTrue(isQuantity(ok), ok);
    }
    for (String bad : new String[] {"", "-1", "1 Gi", "1GB", "lots", "1.2.3", "Gi"}) {
      assertFalse(isQuantity(bad), bad);
    }
  }

  @Test
  void amountsAreTheSameParsedOrKeptAndTheKeptOnesStayBounded() {
    assertEquals(0, new java.math.BigDecimal("0.5").compareTo(amount("500m")));
    assertEquals(0, new java.math.BigDecimal("0.5").compareTo(amount("500m")));
    assertEquals(0, new java.math.BigDecimal(1536L * 1024 * 1024).compareTo(amount("1.5Gi")));
    assertEquals(0, new java.math.BigDecimal("2000").compareTo(amount("2e3")));
    for (int i = 0; i < 3 * AMOUNTS_KEPT; i++) {
      assertEquals(0, java.math.BigDecimal.valueOf(i).compareTo(amount(Integer.toString(i))));
    }
    assertEquals(0, new java.math.BigDecimal("0.5").compareTo(amount("500m")));
  }

  @Test
  void labelKeysAndValues() {
    assertTrue(isQualifiedName("team"));
    assertTrue(isQualifiedName("acme.io/team"));
    assertFalse(isQualifiedName("Acme.io/team"));
    assertFalse(isQualifiedName("a/b/c"));
    assertFalse(isQualifiedName("x".repeat(64)));
    assertTrue(isLabelValue(""));
    assertTrue(isLabelValue("v1.2_x-y"));
    assertFalse(isLabelValue("-x"));
    assertFalse(isLabelValue("has space"));
  }

  @Test
  void namesAndPorts() {
    assertTrue(isDnsLabel("a-b-1", 40));
    assertFalse(isDnsLabel("a_b", 40));
    assertFalse(isDnsLabel("ab-", 40));
    assertTrue(isPortName("http"));
    assertFalse(isPortName("8080"));
    assertFalse(isPortName("very-long-port-name"));
    assertTrue(isImage("ghcr.io/acme/x:1.0"));
    assertTrue(isImage("postgres@sha256:" + "a".repeat(64)));
    assertFalse(isImage("bad image"));
  }
}
