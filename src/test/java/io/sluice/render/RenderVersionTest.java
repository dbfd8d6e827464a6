package io.sluice.render;

import static io.sluice.render.RenderFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link Renderer#VERSION} honest. A job's pass fingerprint includes the renderer's version,
 * so a resync skips jobs whose input and objects did not change; if rendering changed without the
 * version, an upgraded Sluice would leave every job's objects as the older one rendered them. This
 * test renders every workload in its richest form and fails when what comes out changes while the
 * version stays.
 */
class RenderVersionTest {
  /** The digest of {@link #renderedFixtures()} rendered by each renderer version. */
  private static final Map<Integer, String> RENDERED =
      Map.of(1, "8b9f7bdabf19e4e25c5417a34ecbf28a45bbc9960fed5ab01d528919644cc49f");

  @Test
  void whatIsRenderedChangesOnlyWithTheRendererVersion() throws Exception {
    String digest = digest(renderedFixtures());
    int next = RENDERED.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    assertEquals(
        RENDERED.get(Renderer.VERSION),
        digest,
        "What Sluice renders changed. Set Renderer.VERSION to "
            + next
            + " and add "
            + next
            + " -> \""
            + digest
            + "\" to RENDERED here, so that an upgraded Sluice applies every job again.");
  }

  @Test
  void theDigestIsTheRenderingNotTheRun() throws Exception {
    assertEquals(digest(renderedFixtures()), digest(renderedFixtures()));
  }

  /** Every workload's objects ({@link RenderFixtures#everyWorkload}), one JSON line each. */
  private static String renderedFixtures() {
    KubernetesSerialization json = new KubernetesSerialization();
    StringBuilder out = new StringBuilder();
    for (Desired d : everyWorkload()) {
      out.append(json.asJson(d.resource())).append(d.owner()).append('\n');
    }
    return out.toString();
  }

  /** SHA-256 of the rendering with every JSON object's keys sorted (map order is not rendering). */
  private static String digest(String rendered) throws Exception {
    ObjectMapper sorted =
        new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
    StringBuilder canonical = new StringBuilder();
    for (String line : rendered.split("\n")) {
      int end = line.lastIndexOf('}') + 1;
      canonical
          .append(sorted.writeValueAsString(sorted.readTree(line.substring(0, end))))
          .append(line.substring(end))
          .append('\n');
    }
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
