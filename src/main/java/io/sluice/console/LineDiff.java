package io.sluice.console;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;

/**
 * A side-by-side comparison of two texts, line by line (longest common subsequence): each row is a
 * line kept on both sides, removed on the left, added on the right, or changed. Pure. Texts too
 * long to compare in bounded time give no rows ({@link #compared()} false).
 */
public final class LineDiff {
  /** Beyond this many line pairs the table (rows × columns) is not built. */
  static final long MAX_CELLS = 4_000_000;

  /** One row: a line number and text on each side (null where that side has none). */
  @TemplateData
  public record Row(Integer leftNo, String left, Integer rightNo, String right, String kind) {}

  private final List<Row> rows;

  private LineDiff(List<Row> rows) {
    this.rows = rows;
  }

  public List<Row> rows() {
    return rows;
  }

  public boolean compared() {
    return rows != null;
  }

  public static LineDiff of(String left, String right) {
    String[] a = left.split("\n", -1);
    String[] b = right.split("\n", -1);
    if ((long) a.length * b.length > MAX_CELLS) {
      return new LineDiff(null);
    }
    int[][] common = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        common[i][j] =
            a[i].equals(b[j])
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<Row> rows = new ArrayList<>();
    List<Integer> removed = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        flush(rows, removed, added, a, b);
        rows.add(new Row(i + 1, a[i], j + 1, b[j], "same"));
        i++;
        j++;
      } else if (j < b.length && (i == a.length || common[i][j + 1] >= common[i + 1][j])) {
        added.add(j++);
      } else {
        removed.add(i++);
      }
    }
    flush(rows, removed, added, a, b);
    return new LineDiff(rows);
  }

  /** Pairs removed and added lines side by side as changes; the rest stand alone. */
  private static void flush(
      List<Row> rows, List<Integer> removed, List<Integer> added, String[] a, String[] b) {
    int n = Math.max(removed.size(), added.size());
    for (int k = 0; k < n; k++) {
      Integer l = k < removed.size() ? removed.get(k) : null;
      Integer r = k < added.size() ? added.get(k) : null;
      String kind = l != null && r != null ? "changed" : l != null ? "removed" : "added";
      rows.add(
          new Row(
              l == null ? null : l + 1,
              l == null ? null : a[l],
              r == null ? null : r + 1,
              r == null ? null : b[r],
              kind));
    }
    removed.clear();
    added.clear();
  }
}
