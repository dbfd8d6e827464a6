"""A daily clickstream ingestion through Sluice. Copy into your DAGs folder with
sluice_airflow.py on the PYTHONPATH, set the Airflow Variable sluice_url, and give the workers and
the triggerer SLUICE_TOKEN, an operator API token for the namespace (see README.md beside this
folder)."""

import os

from datetime import datetime, timedelta

from airflow import DAG

from sluice_airflow import SluiceRunOperator

with DAG(
    dag_id="clickstream_daily",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2)},
) as dag:
    ingest = SluiceRunOperator(
        task_id="ingest",
        base_url="{{ var.value.sluice_url }}",
        token=os.environ["SLUICE_TOKEN"],
        namespace="data",
        job="clickstream-ingest",
        args=["--date", "{{ ds }}"],
        env={"AIRFLOW_RUN_ID": "{{ run_id }}"},
        deferrable=True,
        poll_interval=15,
        execution_timeout=timedelta(hours=2),
    )
