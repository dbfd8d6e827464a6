package io.sluice.api;

import io.sluice.config.SluiceConfig;

/** A validated page size and optional cursor from {@code ?limit=&cursor=}. */
public record PageRequest(int limit, String cursor) {

  public static PageRequest of(String limit, String cursor, SluiceConfig.Paging paging) {
    int size = paging.defaultLimit();
    if (limit != null && !limit.isBlank()) {
      try {
        size = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        throw SluiceException.badParameter("limit", "must be an integer");
      }
      if (size < 1 || size > paging.maxLimit()) {
        throw SluiceException.badParameter("limit", "must be between 1 and " + paging.maxLimit());
      }
    }
    if (cursor != null && (cursor.isBlank() || cursor.length() > 512)) {
      throw SluiceException.badParameter("cursor", "is not a cursor returned by this list");
    }
    return new PageRequest(size, cursor);
  }

  public boolean hasCursor() {
    return cursor != null;
  }
}
