"""The daily clickstream load as one Sluice pipeline run (ingest, clean, load; see Sluice's
examples/pipeline-daily.yaml), with the DAG run's date as a parameter.

A retry of the task resumes the failed pipeline run — only the failed steps and what follows
them run again, under the same run number — instead of starting the pipeline over.
"""

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.10
    from airflow import DAG

from sluice_airflow.operators.sluice import SluicePipelineRunOperator

with DAG(
    dag_id="clickstream_daily_pipeline",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
) as dag:
    load = SluicePipelineRunOperator(
        task_id="clickstream_daily",
        pipeline="clickstream-daily",
        parameters={"date": "{{ ds }}"},
        retry_revisions="current",
        deferrable=True,
        poll_interval=15,
        execution_timeout=timedelta(hours=3),
    )
