package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.render.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bench's platform floor (bench/floor) starts Sluice's watches with none of Sluice's code, so
 * it repeats {@link ClusterCache#KINDS} and the managed-by selector; this keeps the copy true.
 */
class FloorWatchesTest {
  private static final Path FLOOR = Path.of("bench/floor/src/main/java/floor/Watches.java");

  @Test
  void theFloorWatchesTheKindsSluiceWatchesWithItsSelector() throws IOException {
    String floor = Files.readString(FLOOR);
    Matcher list = Pattern.compile("KINDS =\\s*List\\.of\\(([^;]*)\\);").matcher(floor);
    assertTrue(list.find(), FLOOR + " declares KINDS");
    List<String> kinds = new ArrayList<>();
    Matcher kind = Pattern.compile("(\\w+)\\.class").matcher(list.group(1));
    while (kind.find()) {
      kinds.add(kind.group(1));
    }
    assertEquals(ClusterCache.KINDS.stream().map(Class::getSimpleName).toList(), kinds);
    assertTrue(
        floor.contains(
            ".withLabel(\"" + Labels.MANAGED_BY + "\", \"" + Labels.MANAGED_BY_VALUE + "\")"),
        FLOOR + " selects Sluice's objects as ClusterCache does");
  }
}
