package io.sluice.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapper;
import io.quarkus.kubernetes.client.KubernetesResources;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The Kubernetes client's {@link KubernetesSerialization}, reading JSON it already holds in memory
 * without copying it first. fabric8 wraps every input in a {@code BufferedInputStream} (an 8 KiB
 * buffer, and a copy) to see whether it is JSON or YAML — for each API answer and each watch event,
 * both already a byte array: about an eighth of the event loops' allocation at 200 runs/s in the
 * bench. This reads the first byte from the array instead; YAML, and any other stream, is read by
 * fabric8 as before.
 *
 * <p>Produced in place of the Quarkus extension's default bean, the same way: the client's mapper,
 * with every kind the build found registered.
 */
public class KubernetesReading extends KubernetesSerialization {
  private final ObjectMapper mapper;

  /**
   * @param searchClassloaders whether fabric8 finds the kinds it knows itself (the client's is
   *     given them instead)
   */
  public KubernetesReading(ObjectMapper mapper, boolean searchClassloaders) {
    super(mapper, searchClassloaders);
    this.mapper = mapper;
  }

  /**
   * Replaces the extension's {@code @DefaultBean}; the kinds come as it has them, a raw {@code
   * Class[]} (the synthetic bean's type).
   */
  @Singleton
  static class Producer {
    @Produces
    @Singleton
    @SuppressWarnings("rawtypes")
    KubernetesSerialization kubernetesSerialization(
        @KubernetesClientObjectMapper ObjectMapper mapper, @KubernetesResources Class[] resources) {
      KubernetesReading serialization = new KubernetesReading(mapper, false);
      for (Class<?> resource : resources) {
        serialization.registerKubernetesResource(resource.asSubclass(KubernetesResource.class));
      }
      return serialization;
    }
  }

  @Override
  public <T> T unmarshal(InputStream is, TypeReference<T> type) {
    if (!(is instanceof ByteArrayInputStream bytes) || !startsAsJson(bytes)) {
      return super.unmarshal(is, type);
    }
    try {
      return mapper.readerFor(type).readValue(bytes);
    } catch (IOException e) {
      throw KubernetesClientException.launderThrowable(e);
    }
  }

  /** Whether the first byte that is not white space opens a JSON object or array. */
  private static boolean startsAsJson(ByteArrayInputStream bytes) {
    bytes.mark(0);
    int first;
    do {
      first = bytes.read();
    } while (first > -1 && Character.isWhitespace(first));
    bytes.reset();
    return first == '{' || first == '[';
  }
}
