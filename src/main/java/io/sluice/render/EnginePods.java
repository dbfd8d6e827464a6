package io.sluice.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.engine.FlinkDeployment;
import io.sluice.engine.MemorySize;
import io.sluice.engine.SparkApplication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pods an engine's custom resource leads to, as its operator builds them from what Sluice
 * rendered: a SparkApplication's driver and executors, a FlinkDeployment's JobManager and
 * TaskManagers. What the restricted Pod Security Standard and the API server's pod rules are
 * checked on before anything is applied, and what the sandbox's simulated operators start. Pure.
 */
public final class EnginePods {
  private EnginePods() {}

  /** Pods of one role: how many, and the template each starts from. */
  public record Role(String name, PodTemplateSpec template, int count, String restartPolicy) {}

  /** The roles of an engine object; empty for any other kind. */
  public static List<Role> of(HasMetadata object) {
    if (object instanceof SparkApplication app && app.getSpec() != null) {
      return spark(app);
    }
    if (object instanceof FlinkDeployment flink && flink.getSpec() != null) {
      return flink(flink);
    }
    return List.of();
  }

  private static List<Role> spark(SparkApplication app) {
    SparkApplication.Spec s = app.getSpec();
    boolean python = "Python".equals(s.type);
    int executors =
        s.dynamicAllocation != null && s.dynamicAllocation.maxExecutors != null
            ? s.dynamicAllocation.maxExecutors
            : s.executor == null || s.executor.instances == null ? 2 : s.executor.instances;
    return List.of(
        new Role(
            SparkApplication.DRIVER_ROLE,
            sparkPod(app, s.driver, SparkApplication.DRIVER_ROLE, python),
            1,
            "Never"),
        new Role(
            SparkApplication.EXECUTOR_ROLE,
            sparkPod(app, s.executor, SparkApplication.EXECUTOR_ROLE, python),
            executors,
            "Never"));
  }

  private static PodTemplateSpec sparkPod(
      SparkApplication app, SparkApplication.PodSpec p, String role, boolean python) {
    SparkApplication.PodSpec pod = p == null ? new SparkApplication.PodSpec() : p;
    Container c = new Container();
    boolean driver = SparkApplication.DRIVER_ROLE.equals(role);
    c.setName(driver ? SparkApplication.DRIVER_CONTAINER : SparkApplication.EXECUTOR_CONTAINER);
    c.setImage(app.getSpec().image);
    c.setEnv(copy(pod.env));
    c.setEnvFrom(copy(pod.envFrom));
    c.setVolumeMounts(copy(pod.volumeMounts));
    c.setSecurityContext(pod.securityContext);
    long memory = MemorySize.sparkPod(pod.memory, pod.memoryOverhead, python);
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(Integer.toString(pod.cores == null ? 1 : pod.cores)));
    requests.put("memory", new Quantity(MemorySize.quantity(memory)));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (pod.coreLimit != null) {
      limits.put("cpu", new Quantity(pod.coreLimit));
    }
    limits.put("memory", new Quantity(MemorySize.quantity(memory)));
    c.setResources(new ResourceRequirements(null, limits, requests));
    PodSpec spec = new PodSpec();
    spec.setContainers(new ArrayList<>(List.of(c)));
    spec.setVolumes(mounted(app.getSpec().volumes, c));
    spec.setSecurityContext(pod.podSecurityContext);
    spec.setServiceAccountName(driver ? pod.serviceAccount : null);
    spec.setAutomountServiceAccountToken(
        pod.template != null && pod.template.getSpec() != null
            ? pod.template.getSpec().getAutomountServiceAccountToken()
            : null);
    spec.setNodeSelector(pod.nodeSelector);
    spec.setTolerations(copy(pod.tolerations));
    spec.setRestartPolicy("Never");
    Map<String, String> labels = new LinkedHashMap<>(nz(pod.labels));
    labels.put(SparkApplication.ROLE_LABEL, role);
    labels.put(SparkApplication.APP_NAME_LABEL, app.getMetadata().getName());
    PodTemplateSpec template = new PodTemplateSpec();
    template.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withLabels(labels)
            .withAnnotations(new LinkedHashMap<>(nz(pod.annotations)))
            .build());
    template.setSpec(spec);
    return template;
  }

  /** Spark adds to a pod the volumes its container mounts. */
  private static List<Volume> mounted(List<Volume> volumes, Container c) {
    Set<String> names =
        nzl(c.getVolumeMounts()).stream().map(m -> m.getName()).collect(Collectors.toSet());
    return new ArrayList<>(nzl(volumes).stream().filter(v -> names.contains(v.getName())).toList());
  }

  private static List<Role> flink(FlinkDeployment d) {
    FlinkDeployment.Spec s = d.getSpec();
    int parallelism = s.job == null || s.job.parallelism == null ? 1 : s.job.parallelism;
    int slots =
        Integer.parseInt(nz(s.flinkConfiguration).getOrDefault(FlinkDeployments.TASK_SLOTS, "1"));
    int taskManagers =
        s.taskManager != null && s.taskManager.replicas != null
            ? s.taskManager.replicas
            : (parallelism + slots - 1) / slots;
    boolean suspended = s.job != null && "suspended".equals(s.job.state);
    int jobManagers =
        s.jobManager == null || s.jobManager.replicas == null ? 1 : s.jobManager.replicas;
    return List.of(
        new Role(
            FlinkDeployment.JOB_MANAGER,
            flinkPod(
                d,
                FlinkDeployment.JOB_MANAGER,
                s.jobManager == null ? null : s.jobManager.resource,
                s.jobManager == null ? null : s.jobManager.podTemplate),
            suspended ? 0 : jobManagers,
            "Always"),
        new Role(
            FlinkDeployment.TASK_MANAGER,
            flinkPod(
                d,
                FlinkDeployment.TASK_MANAGER,
                s.taskManager == null ? null : s.taskManager.resource,
                s.taskManager == null ? null : s.taskManager.podTemplate),
            suspended ? 0 : taskManagers,
            "Always"));
  }

  /** The operator's merge of the common pod template with the role's, plus image and resources. */
  private static PodTemplateSpec flinkPod(
      FlinkDeployment d,
      String component,
      FlinkDeployment.Resource resource,
      PodTemplateSpec roleTemplate) {
    PodTemplateSpec template =
        d.getSpec().podTemplate == null
            ? new PodTemplateSpec(new io.fabric8.kubernetes.api.model.ObjectMeta(), new PodSpec())
            : Serialization.clone(d.getSpec().podTemplate);
    if (template.getMetadata() == null) {
      template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    PodSpec spec = template.getSpec();
    if (roleTemplate != null
        && roleTemplate.getSpec() != null
        && roleTemplate.getSpec().getAutomountServiceAccountToken() != null) {
      spec.setAutomountServiceAccountToken(
          roleTemplate.getSpec().getAutomountServiceAccountToken());
    }
    spec.setServiceAccountName(d.getSpec().serviceAccount);
    spec.setRestartPolicy("Always");
    Container main =
        spec.getContainers().stream()
            .filter(c -> FlinkDeployment.MAIN_CONTAINER.equals(c.getName()))
            .findFirst()
            .orElseGet(
                () -> {
                  Container c = new Container();
                  c.setName(FlinkDeployment.MAIN_CONTAINER);
                  spec.getContainers().add(c);
                  return c;
                });
    main.setImage(d.getSpec().image);
    if (resource != null) {
      Map<String, Quantity> amounts = new LinkedHashMap<>();
      amounts.put("cpu", new Quantity(resource.cpu == null ? "1" : resource.cpu.toString()));
      amounts.put(
          "memory",
          new Quantity(MemorySize.quantity(MemorySize.bytes(resource.memory).orElse(2048L << 20))));
      main.setResources(new ResourceRequirements(null, amounts, amounts));
    }
    Map<String, String> labels = new LinkedHashMap<>(nz(template.getMetadata().getLabels()));
    labels.put("app", d.getMetadata().getName());
    labels.put(FlinkDeployment.COMPONENT_LABEL, component);
    labels.put("type", "flink-native-kubernetes");
    template.getMetadata().setLabels(labels);
    return template;
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? new ArrayList<>() : new ArrayList<>(list);
  }

  private static <T> List<T> nzl(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, String> nz(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
