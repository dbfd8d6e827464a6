package io.sluice.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * The sandbox's API server on its own, for tests that drive the simulator's time themselves: the
 * CRUD mock server with the sandbox's dispatcher (which also serves pod logs), on a local port.
 */
final class SimulatedCluster {
  private SimulatedCluster() {}

  static KubernetesMockServer start() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new SandboxCluster.LogServingDispatcher(),
            false);
    server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    return server;
  }
}
