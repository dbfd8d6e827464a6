package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesReading} reads what fabric8 reads, JSON from its bytes and everything else as
 * fabric8 does, and fails where fabric8 fails.
 */
class KubernetesReadingTest {
  private final KubernetesSerialization fabric8 = new KubernetesSerialization();

  /** Knowing every kind, as the client's does (Quarkus registers those its build found). */
  private final KubernetesReading reading = new KubernetesReading(new ObjectMapper(), true);

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonYamlAndListsAreReadAsFabric8ReadsThem() {
    for (String text :
        List.of(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"data\":{\"k\":\"v\"}}",
            " \n\t{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"j\"}}",
            "[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}]",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n",
            "\uFEFF{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bom\"}}")) {
      Object expected = fabric8.unmarshal(bytes(text));
      Object read = reading.unmarshal(bytes(text));
      // Compared as written: a KubernetesList has no equals.
      assertEquals(expected.getClass(), read.getClass(), text);
      assertEquals(fabric8.asJson(expected), fabric8.asJson(read), text);
    }
  }

  @Test
  void aTypedAnswerIsReadAsFabric8ReadsIt() {
    String json =
        "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"run-4\","
            + "\"resourceVersion\":\"42\"},\"spec\":{\"backoffLimit\":3},\"status\":{\"active\":1}}";
    assertEquals(
        fabric8.unmarshal(bytes(json), Job.class), reading.unmarshal(bytes(json), Job.class));
    assertEquals(fabric8.unmarshal(json, Job.class), reading.unmarshal(json, Job.class));
  }

  @Test
  void anotherKindOfStreamIsReadByFabric8() {
    String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"s\"}}";
    InputStream stream = new java.io.FilterInputStream(bytes(json)) {
          // Not a ByteArrayInputStream: fabric8's own reading, which buffers it.
        };
    ConfigMap read = reading.unmarshal(stream, ConfigMap.class);
    assertEquals("s", read.getMetadata().getName());
  }

  @Test
  void malformedJsonFailsAsFabric8Fails() {
    String broken = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":";
    KubernetesClientException expected =
        assertThrows(KubernetesClientException.class, () -> fabric8.unmarshal(bytes(broken)));
    KubernetesClientException thrown =
        assertThrows(
            KubernetesClientException.class,
            () -> reading.unmarshal(bytes(broken), KubernetesResource.class));
    assertEquals(expected.getCause().getClass(), thrown.getCause().getClass());
  }
}
