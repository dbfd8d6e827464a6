package io.sluice.api;

import io.sluice.config.SluiceConfig;

/** A validated page size and optional cursor from {@code ?limit=&cursor=}. */
public record PageRequest(int limit, String cursor) {

  public static PageRequest of(String limit, String cursor, SluiceConfig.Paging paging) {
    int size =
        limit == null || limit.isBlank()
            ? paging.defaultLimit()
            : Params.bounded("limit", limit, 1, paging.maxLimit());
    if (cursor != null && (cursor.isBlank() || cursor.length() > 512)) {
      throw SluiceException.badParameter("cursor", "is not a cursor returned by this list");
    }
    return new PageRequest(size, cursor);
  }

  public boolean hasCursor() {
    return cursor != null;
  }
}
