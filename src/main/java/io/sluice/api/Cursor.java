package io.sluice.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset-pagination cursors. A cursor encodes the sort key of the last item of a page, so
 * the next page is a range scan on an index ({@code WHERE key > cursor}), never an OFFSET.
 */
public final class Cursor {
  private static final char SEP = '\u001f';

  private Cursor() {}

  /** Encodes the parts of a sort key under a kind tag, so a jobs cursor can't page events. */
  public static String encode(String kind, String... parts) {
    String raw = kind + SEP + String.join(String.valueOf(SEP), parts);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a cursor of the given kind with the expected number of parts, or answers 400. */
  public static List<String> decode(String cursor, String kind, int parts) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      List<String> fields = List.of(raw.split(String.valueOf(SEP), -1));
      // A forged cursor may carry anything; NUL reaches no query (PostgreSQL refuses it in text).
      if (fields.size() == parts + 1 && fields.get(0).equals(kind) && raw.indexOf('\0') < 0) {
        return fields.subList(1, fields.size());
      }
    } catch (IllegalArgumentException e) {
      // fall through: not base64
    }
    throw SluiceException.badParameter("cursor", "is not a cursor returned by this list");
  }

  public static long decodeLong(String cursor, String kind) {
    try {
      return Long.parseLong(decode(cursor, kind, 1).get(0));
    } catch (NumberFormatException e) {
      throw SluiceException.badParameter("cursor", "is not a cursor returned by this list");
    }
  }
}
