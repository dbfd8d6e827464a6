package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.job.CreateJobRequest;
import io.sluice.job.SpecCodec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The constraints request records declare are checked as Bean Validation would check them: every
 * violation, with its path and message, and a constraint the checker does not know refused when its
 * class is first described rather than skipped.
 */
class ConstraintsTest {

  record Inner(@NotBlank @Size(max = 3) String name, @Min(1) @Max(5) Integer count) {}

  record Outer(
      @NotNull @Size(min = 1, max = 2) List<@Valid @NotNull Inner> items,
      Map<@NotNull @Size(max = 2) String, @NotNull @Size(max = 3) String> labels,
      @Valid Inner single,
      Inner notCascaded,
      @DecimalMin("0.1") @DecimalMax(value = "64", inclusive = false) Double cpu,
      @Min(value = 1, message = "must be a non-root user id (1 or more)") Long user) {}

  record Unsupported(@Pattern(regexp = "[a-z]+") String name) {}

  record Holder(@Valid List<Unsupported> nested) {}

  private static List<String> problems(Object o) {
    return Constraints.check(o).stream().map(e -> e.field() + ": " + e.message()).toList();
  }

  @Test
  void aValidObjectHasNoProblems() {
    Outer ok =
        new Outer(
            List.of(new Inner("a", 1)),
            Map.of("k", "v"),
            new Inner("abc", 5),
            new Inner("", 99),
            0.1,
            1L);
    assertEquals(List.of(), problems(ok));
  }

  @Test
  void everyViolationIsReportedWithItsPathSortedByField() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("long", "value");
    labels.put("ok", null);
    List<Inner> items = new ArrayList<>();
    items.add(new Inner(" ", 0));
    items.add(null);
    items.add(new Inner("abcd", 6));
    Outer bad = new Outer(items, labels, new Inner(null, null), null, Double.NaN, 0L);
    assertEquals(
        List.of(
            "cpu: must be greater than or equal to 0.1",
            "cpu: must be less than 64",
            "items: size must be between 1 and 2",
            "items[0].count: must be greater than or equal to 1",
            "items[0].name: must not be blank",
            "items[1]: must not be null",
            "items[2].count: must be less than or equal to 5",
            "items[2].name: size must be between 0 and 3",
            "labels[long]: size must be between 0 and 2",
            "labels[long]: size must be between 0 and 3",
            "labels[ok]: must not be null",
            "single.name: must not be blank",
            "user: must be a non-root user id (1 or more)"),
        problems(bad));
  }

  @Test
  void nullIsValidButForNotNullAndNotBlank() {
    assertEquals(
        List.of("items: must not be null"),
        problems(new Outer(null, null, null, null, null, null)));
  }

  @Test
  void blankMeansNothingButSpacesAndControlCharactersAsInBeanValidation() {
    Inner tab = new Inner("\t\u0001 ", 1);
    Inner emSpace = new Inner("\u2003", 1);
    assertEquals(List.of("name: must not be blank"), problems(tab));
    assertEquals(List.of(), problems(emSpace));
  }

  @Test
  void boundsAreInclusiveUnlessSaidOtherwise() {
    assertEquals(
        List.of("cpu: must be less than 64"),
        problems(new Outer(List.of(), null, null, null, 64.0, null)).subList(0, 1));
    assertTrue(
        problems(new Outer(List.of(new Inner("a", 5)), null, null, null, 63.99, 1L)).isEmpty());
  }

  @Test
  void anUnknownConstraintIsRefusedNotSkipped() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Constraints.check(new Holder(List.of(new Unsupported("x")))));
    assertTrue(e.getMessage().contains("@Pattern"), e.getMessage());
    assertTrue(e.getMessage().contains("Unsupported.name"), e.getMessage());
  }

  @Test
  void aJobRequestIsCheckedDownToItsEnvironment() {
    CreateJobRequest request =
        SpecCodec.read(
            """
            {"name": "n", "type": "processing",
             "spec": {"image": "", "env": [{"name": "", "value": "v"}], "replicas": -1}}
            """,
            CreateJobRequest.class);
    List<String> found = problems(request);
    assertTrue(found.contains("spec.image: must not be blank"), found.toString());
    assertTrue(found.contains("spec.env[0].name: must not be blank"), found.toString());
    assertTrue(
        found.contains("spec.replicas: must be greater than or equal to 0"), found.toString());
  }

  /** Every record Sluice compiles can be described: none carries a constraint left unchecked. */
  @Test
  void everyRecordOfSluiceIsDescribable() throws IOException {
    Path classes = Path.of("target/classes");
    List<String> described = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type;
        try {
          type = Class.forName(name, false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (type.isRecord()) {
          Constraints.describeAll(type);
          described.add(name);
        }
      }
    }
    assertTrue(described.contains(CreateJobRequest.class.getName()), described.toString());
  }
}
