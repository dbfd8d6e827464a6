"""Stand-in: see airflow_stub_core (which Airflow line lays it out here: airflow2)."""

from airflow_stub_core import BaseTrigger, TriggerEvent  # noqa: F401
