package io.sluice.render;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;

/** Services: a ClusterIP Service for a service job with ports, a headless one for stateful. */
public final class Services {
  private Services() {}

  public static Service clusterIp(RenderInput job) {
    return new ServiceBuilder()
        .withMetadata(Workloads.metadata(job, Names.service(job.name()), job.revision()))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(job.jobId()))
        .withPorts(ports(job))
        .endSpec()
        .build();
  }

  /** Gives each StatefulSet pod a stable DNS name; ready or not, so peers can find each other. */
  public static Service headless(RenderInput job) {
    return new ServiceBuilder()
        .withMetadata(Workloads.metadata(job, Names.service(job.name()), job.revision()))
        .withNewSpec()
        .withClusterIP("None")
        .withSelector(Labels.selector(job.jobId()))
        .withPublishNotReadyAddresses(true)
        .withPorts(ports(job))
        .endSpec()
        .build();
  }

  private static List<ServicePort> ports(RenderInput job) {
    return job.spec().portsOrEmpty().stream()
        .map(
            p ->
                new ServicePortBuilder()
                    .withName(p.name())
                    .withPort(p.containerPort())
                    .withTargetPort(new IntOrString(p.name()))
                    .withProtocol(p.protocolOrDefault().name())
                    .build())
        .toList();
  }
}
