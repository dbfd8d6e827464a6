package io.sluice;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.sluice.reconcile.SerializerWarmup;

/** Sluice's entry point: Quarkus, plus start-up work that can run in parallel with it. */
@QuarkusMain
public class SluiceMain {
  public static void main(String... args) {
    SerializerWarmup.start();
    Quarkus.run(args);
  }
}
