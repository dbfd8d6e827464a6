"""Extra links from a task to what it ran in Sluice, shown on the task in Airflow's UI."""

from __future__ import annotations

from sluice_airflow.version_compat import BaseOperatorLink, XCom

RUN_URL_KEY = "sluice_run_url"


class SluiceRunLink(BaseOperatorLink):
    """The Sluice run (or pipeline run) the task started or waited for.

    Sluice has no web console yet, so the link opens the run in Sluice's API (JSON, with its
    phase, times, reason and, for a pipeline, every step); it is pushed to XCom by the task.
    """

    name = "Sluice run"

    def get_link(self, operator, *, ti_key):
        return XCom.get_value(key=RUN_URL_KEY, ti_key=ti_key) or ""
