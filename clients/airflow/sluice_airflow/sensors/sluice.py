"""A sensor that waits for a Sluice run someone else started."""

from __future__ import annotations

from datetime import timedelta

from sluice_airflow.hooks.sluice import SluiceHook
from sluice_airflow.links import RUN_URL_KEY, SluiceRunLink
from sluice_airflow.triggers.sluice import SluiceRunTrigger
from sluice_airflow.version_compat import AirflowException, BaseSensorOperator, default_deferrable


class SluiceRunSensor(BaseSensorOperator):
    """Waits until run ``number`` of ``job`` ends: done when it SUCCEEDED, failed otherwise.

    The run is someone else's (a schedule, another DAG, a person): a kill or a timeout never
    cancels it.

    :param number: the run's number (templated, e.g. an XCom of the task that started it)
    """

    template_fields = ("namespace", "job", "number")
    operator_extra_links = (SluiceRunLink(),)

    def __init__(self, *, job, number, namespace=None, sluice_conn_id=SluiceHook.default_conn_name,
                 deferrable=None, **kwargs):
        super().__init__(**kwargs)
        self.job = job
        self.number = number
        self.namespace = namespace
        self.sluice_conn_id = sluice_conn_id
        self.deferrable = default_deferrable() if deferrable is None else deferrable

    def _hook(self):
        return SluiceHook(self.sluice_conn_id)

    def execute(self, context):
        hook = self._hook()
        namespace = hook.namespace(self.namespace)
        context["ti"].xcom_push(key=RUN_URL_KEY, value=hook.run_url(namespace, self.job, self.number))
        if not self.deferrable:
            super().execute(context)
            return int(self.number)
        if self.poke(context):
            return int(self.number)
        self.defer(
            trigger=SluiceRunTrigger(self.sluice_conn_id, namespace, self.job, self.number,
                                     self.poke_interval, cancel_on_kill=False),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout) if self.timeout else None)

    def poke(self, context):
        hook = self._hook()
        run = hook.get_conn().get_run(hook.namespace(self.namespace), self.job, int(self.number))
        self.log.info("Sluice run %s#%s is %s", self.job, self.number, run["phase"])
        if run["phase"] in ("FAILED", "CANCELLED"):
            raise AirflowException(f"Sluice run {self.job}#{self.number} ended {run['phase']}"
                                   + (f" ({run['reason']})" if run.get("reason") else ""))
        return run["phase"] == "SUCCEEDED"

    def execute_complete(self, context, event):
        if event["phase"] != "SUCCEEDED":
            raise AirflowException(f"Sluice run {self.job}#{event['number']} ended {event['phase']}"
                                   + (f" ({event['reason']})" if event.get("reason") else ""))
        return event["number"]
