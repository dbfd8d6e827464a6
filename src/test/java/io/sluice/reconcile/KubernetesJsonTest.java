package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.BeanPropertyWriterDelegate;
import io.sluice.render.Desired;
import io.sluice.render.RenderFixtures;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes client's JSON with {@link KubernetesJson}: the same bytes as fabric8's own for
 * everything Sluice renders, written through Blackbird's accessors, and read as before.
 */
class KubernetesJsonTest {
  /** Built as Quarkus builds the client's: a mapper, its customizers, then fabric8's modules. */
  private static KubernetesSerialization customized() {
    return new KubernetesSerialization(customizedMapper(), false);
  }

  private static ObjectMapper customizedMapper() {
    ObjectMapper mapper = new ObjectMapper();
    new KubernetesJson().customize(mapper);
    return mapper;
  }

  @Test
  void everythingSluiceRendersIsWrittenByteForByteAsBefore() {
    KubernetesSerialization plain = new KubernetesSerialization();
    KubernetesSerialization fast = customized();
    List<Desired> rendered = RenderFixtures.everyWorkload();
    assertTrue(rendered.size() > 20, "fixtures render every workload's objects");
    for (Desired d : rendered) {
      HasMetadata object = d.resource();
      assertEquals(plain.asJson(object), fast.asJson(object), d.kind() + "/" + d.name());
    }
  }

  @Test
  void objectsAreWrittenThroughBlackbirdNotReflection() throws Exception {
    ObjectMapper mapper = customizedMapper();
    new KubernetesSerialization(mapper, false);
    assertNoReflectiveWriters(mapper);
  }

  /**
   * Fails when a kind Sluice writes is written with a reflective property writer (Jackson's own
   * {@link BeanPropertyWriter}) rather than Blackbird's.
   */
  static void assertNoReflectiveWriters(ObjectMapper mapper) throws Exception {
    List<String> writers = new ArrayList<>();
    for (Class<?> kind : List.of(Job.class, Deployment.class, ConfigMap.class, Container.class)) {
      var serializer =
          (BeanSerializer) mapper.getSerializerProviderInstance().findValueSerializer(kind);
      serializer.properties().forEachRemaining(p -> writers.add(inner(p).getClass().getName()));
    }
    assertTrue(writers.size() > 20, "writers: " + writers);
    assertTrue(
        writers.stream().noneMatch(BeanPropertyWriter.class.getName()::equals),
        "reflective writers left: " + writers);
  }

  /** The writer fabric8's wraps (for additionalProperties), or the writer itself. */
  private static Object inner(Object writer) {
    if (!(writer instanceof BeanPropertyWriterDelegate)) {
      return writer;
    }
    try {
      Field delegate = BeanPropertyWriterDelegate.class.getDeclaredField("delegate");
      delegate.setAccessible(true);
      return delegate.get(writer);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("fabric8's writer changed shape: " + e);
    }
  }

  @Test
  void objectsAreReadAsBefore() {
    KubernetesSerialization plain = new KubernetesSerialization();
    KubernetesSerialization fast = customized();
    for (Desired d : RenderFixtures.everyWorkload()) {
      String json = plain.asJson(d.resource());
      Class<? extends HasMetadata> kind = d.resource().getClass();
      // Compared as written back: Sluice's engine models (SparkApplication) have no equals.
      assertEquals(
          plain.asJson(plain.unmarshal(json, kind)),
          plain.asJson(fast.unmarshal(json, kind)),
          d.kind() + "/" + d.name());
    }
  }
}
