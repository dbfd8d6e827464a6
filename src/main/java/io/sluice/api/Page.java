package io.sluice.api;

import java.util.List;
import java.util.function.Function;

/**
 * Rows of one keyset page and the cursor of the next, if there is one. Every list fetches {@code
 * limit + 1} rows and builds its page here.
 */
public record Page<T>(List<T> items, String nextCursor) {

  /** Builds a page from a query that fetched {@code limit + 1} rows to learn if more follow. */
  public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(items, cursorOf.apply(items.get(limit - 1)));
  }

  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), nextCursor);
  }
}
