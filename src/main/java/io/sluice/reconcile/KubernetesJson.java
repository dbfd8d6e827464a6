package io.sluice.reconcile;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Has the Kubernetes client write objects through Blackbird's generated accessors instead of
 * reflection, and read a watch event's object from the stream ({@link WatchEventObjects}). Writing
 * each object it creates or updates as JSON was the largest single cost of a reconcile pass (its
 * getters called through {@code Method.invoke}: 13.6 % of Sluice's CPU samples at 100 runs/s in a
 * JFR profile of the bench's family 2). Reading keeps fabric8's own deserializers: Blackbird would
 * generate a class per property of every watched kind at a fresh process's first events, the cost a
 * start and a first resync pay. The JSON written is the same, byte for byte.
 *
 * <p>fabric8 wraps each property writer in its own (for {@code additionalProperties}); the writer
 * inside is Blackbird's. {@code KubernetesJsonTest} holds both: the same bytes, no reflective
 * writer left.
 */
@Singleton
public class KubernetesJson implements KubernetesClientObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.registerModule(writersOnly());
    mapper.addMixIn(WatchEvent.class, WatchEventObjects.Mixin.class);
  }

  /** Blackbird's serializer half: its setup, with the deserializer modifier it adds left out. */
  static Module writersOnly() {
    BlackbirdModule blackbird = new BlackbirdModule();
    return new SimpleModule("sluice-blackbird-writers") {
      @Override
      public void setupModule(SetupContext context) {
        blackbird.setupModule(withoutReaders(context));
      }
    };
  }

  private static Module.SetupContext withoutReaders(Module.SetupContext context) {
    return (Module.SetupContext)
        Proxy.newProxyInstance(
            Module.SetupContext.class.getClassLoader(),
            new Class<?>[] {Module.SetupContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("addBeanDeserializerModifier")) {
                return null;
              }
              try {
                return method.invoke(context, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
