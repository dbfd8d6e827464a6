"""Stand-in: see airflow_stub_core (which Airflow line lays it out here: airflow3)."""

from airflow_stub_core import conf  # noqa: F401
