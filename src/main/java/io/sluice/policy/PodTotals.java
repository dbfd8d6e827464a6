package io.sluice.policy;

import io.sluice.engine.FlinkOptions;
import io.sluice.engine.MemorySize;
import io.sluice.engine.SparkOptions;
import io.sluice.job.JobSpec;
import io.sluice.job.KubernetesSyntax;
import io.sluice.job.Workload;
import java.math.BigDecimal;

/**
 * What all of one job's pods ask for together at full scale: the figure the namespace's maxTotalCpu
 * and maxTotalMemory bound. A Spark job counts its driver and every executor it may have (the
 * dynamic maximum), a Flink job its JobManager and the TaskManagers its parallelism needs, other
 * jobs their replicas (the autoscaler's maximum) or parallelism. Pure.
 *
 * @param cpu cores
 * @param memory bytes
 * @param how the sum in words, for the error message
 */
public record PodTotals(BigDecimal cpu, BigDecimal memory, String how) {

  /** The job's totals, with {@code count} (a scale request's) in place of the spec's. */
  public static PodTotals of(Workload workload, JobSpec spec, Integer count) {
    if (workload == Workload.SPARK && spec.spark() != null) {
      return spark(spec.spark(), count);
    }
    if (workload == Workload.FLINK && spec.flink() != null) {
      return flink(spec.flink(), count);
    }
    int pods = pods(workload, spec, count);
    JobSpec.ResourceList per = perPod(spec.resources());
    BigDecimal cpu = amount(per == null ? null : per.cpu());
    BigDecimal memory = amount(per == null ? null : per.memory());
    return new PodTotals(
        cpu.multiply(BigDecimal.valueOf(pods)),
        memory.multiply(BigDecimal.valueOf(pods)),
        pods + " pods × (" + plain(cpu) + " CPU, " + bytes(memory) + ")");
  }

  private static PodTotals spark(SparkOptions spark, Integer count) {
    boolean python = spark.type() == SparkOptions.Type.Python;
    SparkOptions.Driver d = spark.driver();
    SparkOptions.Executor e = spark.executor();
    int executors = spark.executorsAtMost(count);
    BigDecimal driverCpu = cores(d == null ? null : d.cores());
    BigDecimal executorCpu = cores(e == null ? null : e.cores());
    BigDecimal driverMemory =
        BigDecimal.valueOf(
            MemorySize.sparkPod(
                d == null ? null : d.memory(), d == null ? null : d.memoryOverhead(), python));
    BigDecimal executorMemory =
        BigDecimal.valueOf(
            MemorySize.sparkPod(
                e == null ? null : e.memory(), e == null ? null : e.memoryOverhead(), python));
    BigDecimal n = BigDecimal.valueOf(executors);
    return new PodTotals(
        driverCpu.add(executorCpu.multiply(n)),
        driverMemory.add(executorMemory.multiply(n)),
        "a driver ("
            + plain(driverCpu)
            + " CPU, "
            + bytes(driverMemory)
            + ") and "
            + executors
            + " executors × ("
            + plain(executorCpu)
            + " CPU, "
            + bytes(executorMemory)
            + ", heap and overhead)");
  }

  private static PodTotals flink(FlinkOptions flink, Integer count) {
    int parallelism = count != null && count > 0 ? count : flink.parallelismOrDefault();
    int taskManagers = flink.taskManagers(parallelism);
    FlinkOptions.JobManager jm = flink.jobManager();
    FlinkOptions.TaskManager tm = flink.taskManager();
    BigDecimal jmCpu = cpu(jm == null ? null : jm.cpu());
    BigDecimal tmCpu = cpu(tm == null ? null : tm.cpu());
    BigDecimal jmMemory = flinkMemory(jm == null ? null : jm.memory());
    BigDecimal tmMemory = flinkMemory(tm == null ? null : tm.memory());
    BigDecimal n = BigDecimal.valueOf(taskManagers);
    return new PodTotals(
        jmCpu.add(tmCpu.multiply(n)),
        jmMemory.add(tmMemory.multiply(n)),
        "a JobManager ("
            + plain(jmCpu)
            + " CPU, "
            + bytes(jmMemory)
            + ") and "
            + taskManagers
            + " TaskManagers × ("
            + plain(tmCpu)
            + " CPU, "
            + bytes(tmMemory)
            + ") for parallelism "
            + parallelism);
  }

  private static int pods(Workload workload, JobSpec spec, Integer count) {
    if (count != null) {
      return count;
    }
    if (workload.isLongRunning()) {
      if (spec.autoscaling() != null && spec.autoscaling().maxReplicas() != null) {
        return spec.autoscaling().maxReplicas();
      }
      return spec.replicas() == null ? 1 : spec.replicas();
    }
    return spec.batch() == null || spec.batch().parallelism() == null
        ? 1
        : spec.batch().parallelism();
  }

  /** A container's size: its limits where set, else its requests. */
  private static JobSpec.ResourceList perPod(JobSpec.Resources resources) {
    if (resources == null) {
      return null;
    }
    JobSpec.ResourceList l = resources.limits();
    JobSpec.ResourceList r = resources.requests();
    return new JobSpec.ResourceList(
        l != null && l.cpu() != null ? l.cpu() : r == null ? null : r.cpu(),
        l != null && l.memory() != null ? l.memory() : r == null ? null : r.memory());
  }

  private static BigDecimal amount(String quantity) {
    return quantity != null && KubernetesSyntax.isQuantity(quantity)
        ? KubernetesSyntax.amount(quantity)
        : BigDecimal.ZERO;
  }

  private static BigDecimal cores(Integer cores) {
    return BigDecimal.valueOf(cores == null ? SparkOptions.DEFAULT_CORES : cores);
  }

  private static BigDecimal cpu(Double cpu) {
    return BigDecimal.valueOf(cpu == null ? FlinkOptions.DEFAULT_CPU : cpu);
  }

  private static BigDecimal flinkMemory(String memory) {
    return BigDecimal.valueOf(
        MemorySize.bytes(memory)
            .orElse(MemorySize.bytes(FlinkOptions.DEFAULT_MEMORY).orElseThrow()));
  }

  static String plain(BigDecimal n) {
    return n.stripTrailingZeros().toPlainString();
  }

  /** Bytes in the largest binary unit that keeps them whole-ish (e.g. 8.4Gi). */
  static String bytes(BigDecimal n) {
    String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    BigDecimal v = n;
    int u = 0;
    BigDecimal k = BigDecimal.valueOf(1024);
    while (u < units.length - 1 && v.compareTo(k) >= 0) {
      v = v.divide(k, 2, java.math.RoundingMode.HALF_UP);
      u++;
    }
    return plain(v) + units[u];
  }
}
