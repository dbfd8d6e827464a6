"""A daily clickstream ingestion through Sluice, then a Spark job that waits for it.

Needs the provider installed (``pip install airflow-provider-sluice``) and an Airflow Connection
``sluice_default`` of type ``sluice`` (see the provider's README): DAG code names the connection,
never a token.
"""

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.10
    from airflow import DAG

from sluice_airflow.operators.sluice import SluiceRunOperator
from sluice_airflow.sensors.sluice import SluiceRunSensor

with DAG(
    dag_id="clickstream_daily",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2)},
) as dag:
    ingest = SluiceRunOperator(
        task_id="ingest",
        job="clickstream-ingest",
        args=["--date", "{{ ds }}"],
        env={"AIRFLOW_RUN_ID": "{{ run_id }}"},
        deferrable=True,
        poll_interval=15,
        execution_timeout=timedelta(hours=2),
    )
    sessions = SluiceRunOperator(
        task_id="sessions",
        job="clickstream-sessions",  # examples/processing-spark.yaml: a Spark run
        args=["{{ ds }}"],
        deferrable=True,
        poll_interval=30,
    )
    # Waits for the run the ingest task started (its XCom value), without ever cancelling it.
    checked = SluiceRunSensor(
        task_id="ingest_done",
        job="clickstream-ingest",
        number="{{ ti.xcom_pull(task_ids='ingest') }}",
        deferrable=True,
        poke_interval=30,
    )
    ingest >> checked >> sessions
