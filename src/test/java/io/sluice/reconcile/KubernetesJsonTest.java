package io.sluice.reconcile;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.BeanPropertyWriterDelegate;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.SparkApplication;
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
  /**
   * Built as Quarkus builds the client's: a mapper, its customizers, then fabric8's modules,
   * knowing every kind (Quarkus registers those its build found; here fabric8 finds them).
   */
  private static KubernetesSerialization customized() {
    return withSluiceKinds(new KubernetesSerialization(customizedMapper(), true));
  }

  /** fabric8's own, knowing the same kinds. */
  private static KubernetesSerialization plain() {
    return withSluiceKinds(new KubernetesSerialization());
  }

  /** Sluice's engine models, which Quarkus registers with the client as it does every kind. */
  private static KubernetesSerialization withSluiceKinds(KubernetesSerialization serialization) {
    serialization.registerKubernetesResource(SparkApplication.class);
    serialization.registerKubernetesResource(FlinkDeployment.class);
    return serialization;
  }

  private static ObjectMapper customizedMapper() {
    ObjectMapper mapper = new ObjectMapper();
    new KubernetesJson().customize(mapper);
    return mapper;
  }

  @Test
  void everythingSluiceRendersIsWrittenByteForByteAsBefore() {
    KubernetesSerialization plain = plain();
    KubernetesSerialization fast = customized();
    List<Desired> rendered = RenderFixtures.everyWorkload();
    assertTrue(rendered.size() > 20, "fixtures render every workload's objects");
    for (Desired d : rendered) {
      HasMetadata object = d.resource();
      assertEquals(plain.asJson(object), fast.asJson(object), d.kind() + "/" + d.name());
    }
  }

  /**
   * Objects as a real API server returns them, with the fields only it sets (uid, managedFields,
   * owner references, status, defaults, quantities, int-or-string): an update sends such an object
   * back with Sluice's changes.
   */
  private static final List<String> AS_THE_SERVER_RETURNS_THEM =
      List.of(
          """
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"enrich","namespace":"data",
           "uid":"5f0c8a6e-2b1d-4c3e-9f7a-1d2e3f4a5b6c","resourceVersion":"48213","generation":3,
           "creationTimestamp":"2026-12-01T10:15:30Z","labels":{"app.kubernetes.io/managed-by":"sluice"},
           "annotations":{"deployment.kubernetes.io/revision":"3","sluice.io/revision":"3"},
           "managedFields":[{"manager":"sluice","operation":"Update","apiVersion":"apps/v1",
             "time":"2026-12-01T10:15:30Z","fieldsType":"FieldsV1",
             "fieldsV1":{"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{}}}}}}]},
           "spec":{"replicas":2,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
            "selector":{"matchLabels":{"sluice.io/job-id":"01939c4e"}},
            "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},
            "template":{"metadata":{"labels":{"sluice.io/job-id":"01939c4e"}},
             "spec":{"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
              "schedulerName":"default-scheduler","securityContext":{"runAsNonRoot":true},
              "containers":[{"name":"main","image":"ghcr.io/acme/enrich:2.1.0","imagePullPolicy":"IfNotPresent",
               "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
               "resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"1Gi"}},
               "readinessProbe":{"httpGet":{"path":"/ready","port":"http","scheme":"HTTP"},
                "timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
               "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}]}}},
           "status":{"observedGeneration":3,"replicas":2,"updatedReplicas":2,"readyReplicas":2,
            "availableReplicas":2,"conditions":[{"type":"Available","status":"True",
             "lastUpdateTime":"2026-12-01T10:16:02Z","lastTransitionTime":"2026-12-01T10:16:02Z",
             "reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability."}]}}
          """,
          """
          {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"app-4","namespace":"data",
           "uid":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d","resourceVersion":"48300","generation":1,
           "creationTimestamp":"2026-12-01T10:20:00Z","labels":{"sluice.io/run":"4",
           "batch.kubernetes.io/controller-uid":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}},
           "spec":{"parallelism":1,"completions":1,"backoffLimit":3,"suspend":false,
            "completionMode":"NonIndexed","ttlSecondsAfterFinished":86400,"podReplacementPolicy":"TerminatingOrFailed",
            "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}},
            "template":{"metadata":{"labels":{"sluice.io/run":"4"}},"spec":{"restartPolicy":"Never",
             "containers":[{"name":"main","image":"ghcr.io/acme/app:1.0","args":["--date","2026-12-01"],
              "resources":{"requests":{"cpu":"1.5","memory":"2G"}}}]}}},
           "status":{"startTime":"2026-12-01T10:20:01Z","active":1,"ready":0,"terminating":0,
            "uncountedTerminatedPods":{}}}
          """);

  @Test
  void objectsAsTheServerReturnsThemAreWrittenByteForByteAsBefore() {
    KubernetesSerialization plain = plain();
    KubernetesSerialization fast = customized();
    for (String json : AS_THE_SERVER_RETURNS_THEM) {
      HasMetadata object = plain.unmarshal(json);
      assertNotNull(object.getMetadata().getManagedFields(), "the fixture parsed");
      assertEquals(plain.asJson(object), fast.asJson(object), object.getKind());
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
    KubernetesSerialization plain = plain();
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

  /** Every object Sluice renders and the server's own, as each watch event would carry them. */
  private static List<String> watchedObjects() {
    KubernetesSerialization plain = plain();
    List<String> objects = new ArrayList<>(AS_THE_SERVER_RETURNS_THEM);
    RenderFixtures.everyWorkload().forEach(d -> objects.add(plain.asJson(d.resource())));
    return objects;
  }

  @Test
  void watchEventsAreReadAsBefore() {
    KubernetesSerialization plain = plain();
    KubernetesSerialization fast = customized();
    List<String> objects = watchedObjects();
    assertTrue(objects.size() > 20, "every kind Sluice renders");
    for (String object : objects) {
      // Either order of the event's fields: the object's reading leaves the rest to be read.
      for (String event :
          List.of(
              "{\"type\":\"ADDED\",\"object\":" + object + "}",
              "{\"object\":" + object + ",\"type\":\"MODIFIED\"}")) {
        WatchEvent expected = plain.unmarshal(event, WatchEvent.class);
        WatchEvent read = fast.unmarshal(event, WatchEvent.class);
        assertNotNull(read.getType(), event);
        assertEquals(expected.getType(), read.getType());
        assertEquals(expected.getObject().getClass(), read.getObject().getClass(), event);
        assertEquals(plain.asJson(expected), plain.asJson(read), event);
      }
    }
  }

  /**
   * Events as a real API server writes them: kind before apiVersion (Go's TypeMeta order), a
   * BOOKMARK carrying only a resourceVersion, and an ERROR whose object is a Status (410 Gone: the
   * informer relists on it, so it must be read as a Status).
   */
  @Test
  void eventsInTheApiServersOwnShapesAreReadAsFabric8ReadsThem() {
    KubernetesSerialization plain = plain();
    KubernetesSerialization fast = customized();
    for (String event :
        List.of(
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\","
                + "\"metadata\":{\"name\":\"app-4\",\"resourceVersion\":\"48300\"},"
                + "\"spec\":{\"backoffLimit\":3},\"status\":{\"active\":1}}}",
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\","
                + "\"metadata\":{\"resourceVersion\":\"12746\","
                + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}",
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version\","
                + "\"reason\":\"Expired\",\"code\":410}}")) {
      WatchEvent expected = plain.unmarshal(event, WatchEvent.class);
      WatchEvent read = fast.unmarshal(event, WatchEvent.class);
      assertEquals(expected.getType(), read.getType(), event);
      assertEquals(expected.getObject().getClass(), read.getObject().getClass(), event);
      assertEquals(plain.asJson(expected), plain.asJson(read), event);
    }
    WatchEvent gone =
        customized()
            .unmarshal(
                "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"code\":410}}",
                WatchEvent.class);
    assertEquals(410, assertInstanceOf(Status.class, gone.getObject()).getCode());
  }

  /**
   * Objects that do not put apiVersion and kind first, name a kind no one registered, or say
   * neither: read as fabric8 reads them, whatever the order of their fields.
   */
  @Test
  void objectsThatDoNotStartWithTheirKindAreReadAsFabric8ReadsThem() {
    KubernetesSerialization plain = plain();
    KubernetesSerialization fast = customized();
    String owner =
        "\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\","
            + "\"name\":\"nightly\",\"uid\":\"u-1\"}]";
    for (String object :
        List.of(
            "{\"metadata\":{\"name\":\"late\","
                + owner
                + "},\"kind\":\"Job\","
                + "\"spec\":{\"backoffLimit\":2},\"apiVersion\":\"batch/v1\"}",
            "{\"kind\":\"Job\",\"metadata\":{\"name\":\"split\"},\"apiVersion\":\"batch/v1\","
                + "\"spec\":{\"parallelism\":1}}",
            "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"size\":3,\"parts\":[1,{\"kind\":\"Job\"}]}}",
            "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"no-version\"},\"data\":{\"a\":\"b\"}}",
            "{\"apiVersion\":\"v1\",\"kind\":7,\"metadata\":{\"name\":\"numeric\"}}",
            "{\"metadata\":{\"name\":\"none\"},\"data\":{\"kind\":\"Job\"}}",
            "{}")) {
      String event = "{\"object\":" + object + ",\"type\":\"ADDED\"}";
      WatchEvent expected = plain.unmarshal(event, WatchEvent.class);
      WatchEvent read = fast.unmarshal(event, WatchEvent.class);
      assertEquals("ADDED", read.getType(), event);
      assertEquals(expected.getObject().getClass(), read.getObject().getClass(), event);
      assertEquals(plain.asJson(expected), plain.asJson(read), event);
    }
  }

  /** The point of the customization: no JSON tree is built for an event's object. */
  @Test
  void aWatchEventsObjectIsReadWithoutATree() {
    int[] objectNodes = {0};
    ObjectMapper mapper = customizedMapper();
    mapper.setNodeFactory(
        new JsonNodeFactory() {
          @Override
          public ObjectNode objectNode() {
            objectNodes[0]++;
            return super.objectNode();
          }
        });
    KubernetesSerialization fast = withSluiceKinds(new KubernetesSerialization(mapper, true));
    for (String object : watchedObjects()) {
      fast.unmarshal("{\"type\":\"ADDED\",\"object\":" + object + "}", WatchEvent.class);
    }
    assertEquals(0, objectNodes[0], "JSON objects read into a tree");
  }
}
