package io.sluice.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;

/**
 * Compact JSON, ended by a newline: a document printed by {@code curl} then leaves the shell's
 * prompt on a line of its own. Nothing else about the output changes.
 */
final class TrailingNewline extends MinimalPrettyPrinter {
  @Override
  public void writeEndObject(JsonGenerator g, int entries) throws IOException {
    super.writeEndObject(g, entries);
    endOfDocument(g);
  }

  @Override
  public void writeEndArray(JsonGenerator g, int entries) throws IOException {
    super.writeEndArray(g, entries);
    endOfDocument(g);
  }

  private static void endOfDocument(JsonGenerator g) throws IOException {
    JsonStreamContext closing = g.getOutputContext();
    if (closing.getParent() != null && closing.getParent().inRoot()) {
      g.writeRaw('\n');
    }
  }
}
