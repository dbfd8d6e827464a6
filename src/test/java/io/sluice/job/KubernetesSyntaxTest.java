package io.sluice.job;

import static io.sluice.job.KubernetesSyntax.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.regex.Pattern;
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

  /**
   * The checks are loops over characters; each must say what the expression Kubernetes states the
   * rule with says, for any string: here, many random ones over the characters that matter.
   */
  @Test
  void eachCheckAgreesWithTheExpressionKubernetesStatesItWith() {
    Pattern label = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    Pattern subdomain =
        Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    Pattern labelName = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    Pattern quantity =
        Pattern.compile(
            "(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
    Random random = new Random(24);
    for (int i = 0; i < 200_000; i++) {
      String name = random(random, "az09-._/A", 12);
      assertEquals(label.matcher(name).matches(), isDnsLabel(name, 63), name);
      assertEquals(subdomain.matcher(name).matches(), isDnsSubdomain(name), name);
      assertEquals(name.isEmpty() || labelName.matcher(name).matches(), isLabelValue(name), name);
      int slash = name.indexOf('/');
      boolean key =
          !name.isEmpty()
              && (slash < 0 || subdomain.matcher(name.substring(0, slash)).matches())
              && labelName.matcher(name.substring(slash + 1)).matches();
      assertEquals(key, isQualifiedName(name), name);
      String amount = random(random, "0123456789.eE+-KkMmGiunP", 8);
      assertEquals(quantity.matcher(amount).matches(), isQuantity(amount), amount);
    }
  }

  /**
   * Up to {@code max} characters drawn from {@code alphabet} ("az" stands for a to z, "09" ...).
   */
  private static String random(Random random, String alphabet, int max) {
    String chars =
        alphabet.replace("az", "abcxyz").replace("09", "0189").replace("A", "AZ").replace(" ", "");
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(max + 1);
    for (int i = 0; i < length; i++) {
      s.append(chars.charAt(random.nextInt(chars.length())));
    }
    return s.toString();
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
