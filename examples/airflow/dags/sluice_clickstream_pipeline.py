"""The daily clickstream load as one Sluice pipeline run (ingest, clean, load; see
examples/pipeline-daily.yaml). Copy into your DAGs folder with sluice_airflow.py on the
PYTHONPATH, set the Airflow Variable sluice_url, and give the workers and the triggerer
SLUICE_TOKEN, an operator API token for the namespace (see README.md beside this folder).

A retry of the task resumes the failed pipeline run: only the failed steps and what follows
them run again, under the same run number."""

import os

from datetime import datetime, timedelta

from airflow import DAG

from sluice_airflow import SluicePipelineRunOperator

with DAG(
    dag_id="clickstream_daily_pipeline",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
) as dag:
    load = SluicePipelineRunOperator(
        task_id="clickstream_daily",
        base_url="{{ var.value.sluice_url }}",
        token=os.environ["SLUICE_TOKEN"],
        namespace="data",
        pipeline="clickstream-daily",
        parameters={"date": "{{ ds }}"},
        deferrable=True,
        poll_interval=15,
        execution_timeout=timedelta(hours=3),
    )
