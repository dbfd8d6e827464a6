package io.sluice.job;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/**
 * The warm-up's spec uses the names a stored spec has: stored specs are read tolerantly, so a
 * renamed field would read as absent and silently leave its writer unbuilt.
 */
class SpecCodecWarmTest {
  @Test
  void warmSpecFillsEveryKindOfFieldItNames() {
    JobSpec spec = SpecCodec.warm();
    assertAll(
        () -> assertEquals("example.com/a:1", spec.image()),
        () -> assertEquals(1, spec.command().size()),
        () -> assertEquals(1, spec.args().size()),
        () -> assertEquals("A", spec.env().get(0).name()),
        () -> assertEquals("a: 1", spec.config().get("a.yaml")),
        () -> assertEquals(8080, spec.ports().get(0).containerPort()),
        () -> assertEquals(1, spec.replicas()),
        () -> assertNotNull(spec.resources().requests()),
        () -> assertNotNull(spec.resources().limits()),
        () -> assertEquals("/data", spec.volumes().get(0).mountPath()));
  }
}
