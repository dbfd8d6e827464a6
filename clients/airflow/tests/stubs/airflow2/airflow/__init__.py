"""Stand-in: see airflow_stub_core (which Airflow line lays it out here: airflow2)."""

import os

__version__ = os.environ.get("AIRFLOW_STUB_VERSION", "2.10.5")
