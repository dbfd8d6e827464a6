-- Spark and Flink jobs (issue 21): two more workloads, driven through their operators' custom
-- resources. The constraint keeps its name so later migrations can find it.
ALTER TABLE jobs DROP CONSTRAINT jobs_workload_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_workload_check
    CHECK (workload IN ('batch', 'scheduled', 'service', 'stateful', 'spark', 'flink'));
