package io.sluice.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** Binds a statement's parameters in order, the one way every dynamic query does it. */
public final class SqlParams {
  private SqlParams() {}

  /**
   * Binds {@code params}; UUID and String arrays go as PostgreSQL {@code uuid[]} and {@code
   * text[]}.
   */
  public static void bind(Connection c, PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i);
      if (value instanceof UUID[] ids) {
        value = c.createArrayOf("uuid", ids);
      } else if (value instanceof String[] texts) {
        value = c.createArrayOf("text", texts);
      }
      ps.setObject(i + 1, value);
    }
  }
}
