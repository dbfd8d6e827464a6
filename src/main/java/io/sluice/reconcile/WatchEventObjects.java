package io.sluice.reconcile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserSequence;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;
import java.io.IOException;

/**
 * Reads the object of a watch event from the stream, without building it as a tree first. fabric8
 * reads every event's object as a {@code JsonNode} to find its kind, then binds that tree ({@link
 * KubernetesDeserializer}): a map per JSON object, made and thrown away for every event Sluice's
 * informers receive — about an eighth of the event loops' allocation at 200 runs/s in the bench.
 * This reads the object's fields, buffered as tokens, up to its {@code apiVersion} and {@code kind}
 * (an API server writes them before anything else, so usually just those two), asks fabric8's
 * registry which class they name, and binds the object from what it read followed by the rest of
 * the stream. An object that lacks either, or names a kind fabric8 does not know, is read by
 * fabric8's deserializer from everything read, as before: the same objects either way ({@code
 * KubernetesJsonTest}).
 */
public final class WatchEventObjects extends StdDeserializer<Object> {
  private static final String API_VERSION = "apiVersion";
  private static final String KIND = "kind";

  public WatchEventObjects() {
    super(Object.class);
  }

  /** Put on {@code WatchEvent} as a Jackson mix-in: its object is read by this class. */
  public abstract static class Mixin {
    @JsonDeserialize(using = WatchEventObjects.class)
    Object object;

    @JsonDeserialize(using = WatchEventObjects.class)
    public abstract void setObject(Object object);
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonDeserializer<?> fabric8 =
        ctxt.findRootValueDeserializer(ctxt.constructType(KubernetesResource.class));
    if (!(fabric8 instanceof KubernetesDeserializer kinds) || !p.isExpectedStartObjectToken()) {
      return fabric8.deserialize(p, ctxt);
    }
    TokenBuffer head = ctxt.bufferForInputBuffering(p);
    head.writeStartObject();
    String apiVersion = null;
    String kind = null;
    boolean known = true;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      head.writeFieldName(name);
      head.copyCurrentStructure(p);
      if (value == JsonToken.VALUE_STRING && API_VERSION.equals(name)) {
        apiVersion = p.getText();
      } else if (value == JsonToken.VALUE_STRING && KIND.equals(name)) {
        kind = p.getText();
      }
      if (known && apiVersion != null && kind != null) {
        Class<? extends KubernetesResource> type = kinds.getRegisteredKind(apiVersion, kind);
        if (type != null) {
          return bindRest(head, p, ctxt, type);
        }
        known = false;
      }
    }
    // Read to its end without both, or of a kind fabric8 does not know: fabric8's
    // deserializer reads the whole object from what was read, as it reads every object.
    head.writeEndObject();
    JsonParser whole = head.asParser(p);
    whole.nextToken();
    return fabric8.deserialize(whole, ctxt);
  }

  /**
   * Binds {@code type} from the fields already read (in {@code head}) and then the rest of the
   * object; {@code p} ends on the object's last token, as a deserializer must leave it.
   */
  private static Object bindRest(
      TokenBuffer head, JsonParser p, DeserializationContext ctxt, Class<?> type)
      throws IOException {
    JsonParser object = JsonParserSequence.createFlattened(false, head.asParser(p), p);
    object.nextToken();
    JsonDeserializer<Object> deserializer =
        ctxt.findRootValueDeserializer(ctxt.constructType(type));
    return deserializer.deserialize(object, ctxt);
  }
}
