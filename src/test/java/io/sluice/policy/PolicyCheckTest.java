package io.sluice.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of the policy: image prefixes and the shortest interval of a schedule. */
class PolicyCheckTest {

  @ParameterizedTest
  @CsvSource({
    "ghcr.io/acme/ingest:1.0, ghcr.io/acme/, true",
    "ghcr.io/acme/ingest:1.0, ghcr.io/acme, true",
    "ghcr.io/acme-evil/x:1, ghcr.io/acme, false",
    "ghcr.io/acmex/x:1, ghcr.io/acme/, false",
    "busybox, docker.io/library/busybox, true",
    "busybox:1.36, docker.io/library/busybox, true",
    "library/busybox, docker.io/library/, true",
    "evil/busybox, docker.io/library/, false",
    "localhost:5000/x, localhost:5000/, true",
    "anything/at:all, *, true"
  })
  void imagesAreComparedAfterNormalisation(String image, String prefix, boolean allowed) {
    assertEquals(allowed, ImageRef.allowed(image, List.of(prefix)), image + " vs " + prefix);
  }

  @ParameterizedTest
  @CsvSource({
    "* * * * *, 60",
    "*/5 * * * *, 300",
    "*/7 * * * *, 240",
    "0 3 * * *, 86400",
    "@hourly, 3600",
    "0 0 1 * *, 2419200",
    "'0,1 12 * * *', 60"
  })
  void theShortestIntervalIsFoundEvenWhenGapsAreUneven(String schedule, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), PolicyCheck.shortestInterval(schedule).orElseThrow());
  }

  @ParameterizedTest
  @CsvSource({
    "ghcr.io/a/b@sha256:"
        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        + ", true",
    "ghcr.io/a/b:1, false",
    "ghcr.io/a/b@sha256:short, false"
  })
  void digestsArePinsOnlyWhenComplete(String image, boolean pinned) {
    assertEquals(pinned, ImageRef.pinned(image));
  }
}
