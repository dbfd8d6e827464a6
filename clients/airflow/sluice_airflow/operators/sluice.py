"""Operators that start a Sluice job run or pipeline run and wait for it.

Retries are safe: a run is submitted with an Idempotency-Key derived from the DAG, the DAG run,
the task and its map index (not the try number), so a retried task finds the run its first try
started instead of starting a second one. The run's number is the task's XCom value; its URL is
pushed as ``sluice_run_url`` and shown as the task's "Sluice run" link.
"""

from __future__ import annotations

from datetime import timedelta

from sluice_airflow.client import SluiceError, failed_steps, idempotency_key, wait
from sluice_airflow.hooks.sluice import SluiceHook
from sluice_airflow.links import RUN_URL_KEY, SluiceRunLink
from sluice_airflow.triggers.sluice import SluicePipelineRunTrigger, SluiceRunTrigger
from sluice_airflow.version_compat import AirflowException, BaseOperator, default_deferrable


def _key(context):
    ti = context["ti"]
    return idempotency_key(ti.dag_id, context["run_id"], ti.task_id, getattr(ti, "map_index", -1))


def _timeout(seconds):
    return None if seconds is None else timedelta(seconds=seconds)


class _SluiceOperator(BaseOperator):
    """What both operators share: the connection, the wait, and cancelling on kill or timeout."""

    operator_extra_links = (SluiceRunLink(),)
    ui_color = "#d9ecf2"

    def __init__(self, *, namespace=None, sluice_conn_id=SluiceHook.default_conn_name,
                 poll_interval=10, run_timeout=None, deferrable=None, cancel_on_kill=True, **kwargs):
        super().__init__(**kwargs)
        self.namespace = namespace
        self.sluice_conn_id = sluice_conn_id
        self.poll_interval = poll_interval
        self.run_timeout = run_timeout
        self.deferrable = default_deferrable() if deferrable is None else deferrable
        self.cancel_on_kill = cancel_on_kill
        self.run_number = None

    def _hook(self):
        return SluiceHook(self.sluice_conn_id)

    def _wait(self, read, cancel, what):
        """Polls until the run ends; past run_timeout, cancels it (when asked to) and fails."""
        try:
            return wait(read, what, self.poll_interval, self.run_timeout, AirflowException)
        except AirflowException:
            if self.cancel_on_kill:
                cancel()
            raise


class SluiceRunOperator(_SluiceOperator):
    """Starts a run of a Sluice batch, scheduled or spark job and waits for it to succeed.

    :param job: the job's name
    :param namespace: its namespace (default: the connection's ``extra.namespace``)
    :param args: arguments for this run only (templated), replacing the job's
    :param env: environment variables for this run only (templated), added to the job's
    :param sluice_conn_id: the Airflow Connection to Sluice (URL and API token)
    :param poll_interval: seconds between status reads
    :param run_timeout: fail the task (and cancel the run) after this many seconds
    :param deferrable: wait in the triggerer instead of a worker slot; while deferred, a kill
        still cancels the run (see ``sluice_airflow.triggers.sluice``)
    :param cancel_on_kill: cancel the Sluice run when the task is killed (default True)
    """

    template_fields = ("namespace", "job", "args", "env")

    def __init__(self, *, job, args=None, env=None, **kwargs):
        super().__init__(**kwargs)
        self.job = job
        self.args = args
        self.env = env

    def execute(self, context):
        hook = self._hook()
        namespace = hook.namespace(self.namespace)
        client = hook.get_conn()
        run = client.submit_run(namespace, self.job, _key(context), self.args, self.env)
        self.run_number = run["number"]
        context["ti"].xcom_push(key=RUN_URL_KEY, value=hook.run_url(namespace, self.job, run["number"]))
        self.log.info("Sluice run %s#%s in namespace %s: %s", self.job, run["number"], namespace, run["phase"])
        if self.deferrable and run["phase"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
            self.defer(
                trigger=SluiceRunTrigger(self.sluice_conn_id, namespace, self.job, run["number"],
                                         self.poll_interval, self.cancel_on_kill),
                method_name="execute_complete",
                timeout=_timeout(self.run_timeout))
        ended = self._wait(lambda: client.get_run(namespace, self.job, run["number"]),
                           lambda: client.cancel_run(namespace, self.job, run["number"]),
                           f"run {self.job}#{run['number']}")
        return self._result(ended["number"], ended["phase"], ended.get("reason"))

    def execute_complete(self, context, event):
        return self._result(event["number"], event["phase"], event.get("reason"))

    def _result(self, number, phase, reason):
        if phase != "SUCCEEDED":
            raise AirflowException(f"Sluice run {self.job}#{number} ended {phase}"
                                   + (f" ({reason})" if reason else ""))
        return number

    def on_kill(self):
        if self.cancel_on_kill and self.run_number is not None:
            hook = self._hook()
            hook.get_conn().cancel_run(hook.namespace(self.namespace), self.job, self.run_number)


class SluicePipelineRunOperator(_SluiceOperator):
    """Starts a run of a Sluice pipeline with parameters and waits for it to succeed.

    Every try of one task instance uses the same Idempotency-Key, so a retried task finds the run
    its first try started. If that run failed or was cancelled, the retry resumes it (Sluice
    re-runs only the failed steps and their downstream, at the pinned job revisions, or at the
    jobs' current ones with ``retry_revisions="current"``) instead of starting the pipeline over; a
    succeeded run is returned as it is.

    :param pipeline: the pipeline's name
    :param parameters: the run's parameters (templated), e.g. ``{"date": "{{ ds }}"}``
    """

    template_fields = ("namespace", "pipeline", "parameters")

    def __init__(self, *, pipeline, parameters=None, retry_revisions="pinned", **kwargs):
        super().__init__(**kwargs)
        self.pipeline = pipeline
        self.parameters = parameters
        self.retry_revisions = retry_revisions

    def submit(self, context, hook, namespace):
        """The task instance's run: started once, resumed when an earlier try's run failed."""
        client = hook.get_conn()
        number = client.submit_pipeline_run(namespace, self.pipeline, _key(context), self.parameters)["number"]
        self.run_number = number
        context["ti"].xcom_push(key=RUN_URL_KEY, value=hook.pipeline_run_url(namespace, self.pipeline, number))
        run = client.get_pipeline_run(namespace, self.pipeline, number)
        if run["phase"] in ("FAILED", "CANCELLED"):
            try:
                run = client.retry_pipeline_run(namespace, self.pipeline, number, self.retry_revisions)
                self.log.info("Resumed pipeline run %s#%s (attempt %s)", self.pipeline, number, run.get("attempt"))
            except SluiceError as error:
                if error.status != 409:  # 409: another try resumed it first, or nothing to retry
                    raise
        return run

    def execute(self, context):
        hook = self._hook()
        namespace = hook.namespace(self.namespace)
        run = self.submit(context, hook, namespace)
        if run["phase"] == "SUCCEEDED":
            return run["number"]
        if self.deferrable:
            self.defer(
                trigger=SluicePipelineRunTrigger(self.sluice_conn_id, namespace, self.pipeline,
                                                 run["number"], self.poll_interval, self.cancel_on_kill),
                method_name="execute_complete",
                timeout=_timeout(self.run_timeout))
        client = hook.get_conn()
        ended = self._wait(lambda: client.get_pipeline_run(namespace, self.pipeline, run["number"]),
                           lambda: client.cancel_pipeline_run(namespace, self.pipeline, run["number"]),
                           f"pipeline run {self.pipeline}#{run['number']}")
        return self._result(ended["number"], ended["phase"], failed_steps(ended))

    def execute_complete(self, context, event):
        return self._result(event["number"], event["phase"], event.get("failed"))

    def _result(self, number, phase, failed):
        if phase != "SUCCEEDED":
            raise AirflowException(f"Sluice pipeline run {self.pipeline}#{number} ended {phase}"
                                   + (f": {failed}" if failed else ""))
        return number

    def on_kill(self):
        if self.cancel_on_kill and self.run_number is not None:
            hook = self._hook()
            hook.get_conn().cancel_pipeline_run(hook.namespace(self.namespace), self.pipeline, self.run_number)
