"""Run Sluice jobs and pipelines from Airflow: submit a run, wait for it, fail the task when it fails.

Standard library only. Works inside Airflow (it subclasses Airflow's BaseOperator and
BaseTrigger) and without it (minimal stand-ins are defined, which is how it is unit-tested).

Retries are safe: the run is submitted with an Idempotency-Key derived from the DAG, the DAG
run and the task (not the try number), so a retried task finds the run its first try started
instead of starting a second one. Killing the task (timeout, mark failed) cancels the run.
A retried pipeline task resumes its failed pipeline run (Sluice's retry: only the failed steps
and their downstream run again) instead of starting the whole pipeline over.
"""

import asyncio
import hashlib
import json
import time
import urllib.error
import urllib.request

try:  # pragma: no cover - exercised only where Airflow is installed
    from airflow.exceptions import AirflowException
    from airflow.models import BaseOperator
    from airflow.triggers.base import BaseTrigger, TriggerEvent
except ImportError:  # Minimal stand-ins, enough to use and test this module without Airflow.

    class AirflowException(Exception):
        pass

    class BaseOperator:
        template_fields = ()

        def __init__(self, task_id, **kwargs):
            self.task_id = task_id

        def defer(self, trigger, method_name, kwargs=None, timeout=None):
            raise RuntimeError("deferral needs Airflow's triggerer")

    class BaseTrigger:
        def __init__(self, **kwargs):
            pass

    class TriggerEvent:
        def __init__(self, payload):
            self.payload = payload


TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")


class SluiceError(Exception):
    """An error answer from Sluice, with its HTTP status and problem document."""

    def __init__(self, status, problem):
        super().__init__(f"Sluice answered {status}: {problem.get('detail') or problem}")
        self.status = status
        self.problem = problem


class SluiceClient:
    """The few calls an orchestrator needs, over plain HTTP."""

    def __init__(self, base_url, token=None, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
                return json.loads(payload) if payload else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                problem = json.loads(raw) if raw else {}
            except ValueError:
                problem = {"detail": raw.decode("utf-8", "replace")}
            raise SluiceError(error.code, problem) from None

    def _runs(self, namespace, job):
        return f"/api/v1/namespaces/{namespace}/jobs/{job}/runs"

    def submit_run(self, namespace, job, idempotency_key, args=None, env=None):
        body = {}
        if args:
            body["args"] = list(args)
        if env:
            body["env"] = [{"name": k, "value": str(v)} for k, v in env.items()]
        return self._call("POST", self._runs(namespace, job), body,
                          {"Idempotency-Key": idempotency_key})

    def get_run(self, namespace, job, number):
        return self._call("GET", f"{self._runs(namespace, job)}/{number}")

    def cancel_run(self, namespace, job, number):
        """Cancels the run; a run that already ended is left as it is (returns None)."""
        try:
            return self._call("POST", f"{self._runs(namespace, job)}/{number}/cancel", {})
        except SluiceError as error:
            if error.status == 409:
                return None
            raise

    def _pipeline_runs(self, namespace, pipeline):
        return f"/api/v1/namespaces/{namespace}/pipelines/{pipeline}/runs"

    def submit_pipeline_run(self, namespace, pipeline, idempotency_key, parameters=None):
        body = {"parameters": {k: str(v) for k, v in parameters.items()}} if parameters else {}
        return self._call("POST", self._pipeline_runs(namespace, pipeline), body,
                          {"Idempotency-Key": idempotency_key})

    def get_pipeline_run(self, namespace, pipeline, number):
        return self._call("GET", f"{self._pipeline_runs(namespace, pipeline)}/{number}")

    def cancel_pipeline_run(self, namespace, pipeline, number):
        """Cancels the pipeline run; one that already ended is left as it is (returns None)."""
        try:
            return self._call("POST", f"{self._pipeline_runs(namespace, pipeline)}/{number}/cancel", {})
        except SluiceError as error:
            if error.status == 409:
                return None
            raise

    def retry_pipeline_run(self, namespace, pipeline, number, revisions="pinned"):
        """Re-runs the failed and cancelled steps (and their downstream) of an ended run."""
        return self._call("POST", f"{self._pipeline_runs(namespace, pipeline)}/{number}/retry",
                          {"revisions": revisions})

    def wait_for_pipeline_run(self, namespace, pipeline, number, poll_interval=10, timeout=None):
        return _wait(lambda: self.get_pipeline_run(namespace, pipeline, number),
                     f"pipeline run {pipeline}#{number}", poll_interval, timeout)

    def wait_for_run(self, namespace, job, number, poll_interval=10, timeout=None):
        return _wait(lambda: self.get_run(namespace, job, number), f"run {job}#{number}", poll_interval, timeout)


def _wait(read, what, poll_interval, timeout):
    """Polls read() until the run has ended; AirflowException after timeout seconds."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        run = read()
        if run["phase"] in TERMINAL:
            return run
        if deadline is not None and time.monotonic() > deadline:
            raise AirflowException(f"Sluice {what} still {run['phase']} after {timeout}s")
        time.sleep(poll_interval)


def idempotency_key(dag_id, run_id, task_id, map_index=-1):
    """The same for every try of one task instance, different for every other one."""
    digest = hashlib.sha256(f"{dag_id}\n{run_id}\n{task_id}\n{map_index}".encode("utf-8")).hexdigest()
    return "airflow-" + digest[:48]


async def _poll_until_ended(read, poll_interval):
    """Calls read() (blocking HTTP, so off the triggerer's event loop) until the run has ended."""
    while True:
        run = await asyncio.get_running_loop().run_in_executor(None, read)
        if run["phase"] in TERMINAL:
            return run
        await asyncio.sleep(poll_interval)


class SluiceRunTrigger(BaseTrigger):
    """Polls a run from Airflow's triggerer until it ends, without holding a worker slot."""

    def __init__(self, base_url, namespace, job, number, poll_interval=10, token=None):
        super().__init__()
        self.base_url = base_url
        self.namespace = namespace
        self.job = job
        self.number = number
        self.poll_interval = poll_interval
        self.token = token

    def serialize(self):
        return ("sluice_airflow.SluiceRunTrigger", {
            "base_url": self.base_url, "namespace": self.namespace, "job": self.job,
            "number": self.number, "poll_interval": self.poll_interval, "token": self.token})

    async def run(self):
        client = SluiceClient(self.base_url, self.token)
        run = await _poll_until_ended(lambda: client.get_run(self.namespace, self.job, self.number),
                                      self.poll_interval)
        yield TriggerEvent({"number": run["number"], "phase": run["phase"],
                            "reason": run.get("reason"), "exitCode": run.get("exitCode")})


class SluiceRunOperator(BaseOperator):
    """Starts a run of a Sluice batch job and waits for it; its number is the XCom value."""

    template_fields = ("base_url", "args", "env")

    def __init__(self, *, base_url, namespace, job, args=None, env=None, token=None,
                 poll_interval=10, run_timeout=None, deferrable=False, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url
        self.namespace = namespace
        self.job = job
        self.args = args
        self.env = env
        self.token = token
        self.poll_interval = poll_interval
        self.run_timeout = run_timeout
        self.deferrable = deferrable
        self.run_number = None

    def _client(self):
        return SluiceClient(self.base_url, self.token)

    def submit(self, context):
        ti = context["ti"]
        key = idempotency_key(ti.dag_id, context["run_id"], ti.task_id, getattr(ti, "map_index", -1))
        run = self._client().submit_run(self.namespace, self.job, key, self.args, self.env)
        self.run_number = run["number"]
        return run

    def execute(self, context):
        run = self.submit(context)
        if self.deferrable:
            self.defer(trigger=SluiceRunTrigger(self.base_url, self.namespace, self.job,
                                                run["number"], self.poll_interval, self.token),
                       method_name="execute_complete")
        finished = self._client().wait_for_run(self.namespace, self.job, run["number"],
                                               self.poll_interval, self.run_timeout)
        return self._result(finished["number"], finished["phase"], finished.get("reason"))

    def execute_complete(self, context, event):
        return self._result(event["number"], event["phase"], event.get("reason"))

    def _result(self, number, phase, reason):
        if phase != "SUCCEEDED":
            raise AirflowException(f"Sluice run {self.job}#{number} ended {phase}"
                                   + (f" ({reason})" if reason else ""))
        return number

    def on_kill(self):
        if self.run_number is not None:
            self._client().cancel_run(self.namespace, self.job, self.run_number)


def _failed_steps(run):
    return ", ".join(f"{s['name']} ({s.get('reason') or s['phase']})"
                     for s in run.get("steps", []) if s["phase"] in ("FAILED", "CANCELLED"))


class SluicePipelineRunTrigger(BaseTrigger):
    """Polls a pipeline run from Airflow's triggerer until it ends."""

    def __init__(self, base_url, namespace, pipeline, number, poll_interval=10, token=None):
        super().__init__()
        self.base_url = base_url
        self.namespace = namespace
        self.pipeline = pipeline
        self.number = number
        self.poll_interval = poll_interval
        self.token = token

    def serialize(self):
        return ("sluice_airflow.SluicePipelineRunTrigger", {
            "base_url": self.base_url, "namespace": self.namespace, "pipeline": self.pipeline,
            "number": self.number, "poll_interval": self.poll_interval, "token": self.token})

    async def run(self):
        client = SluiceClient(self.base_url, self.token)
        run = await _poll_until_ended(
            lambda: client.get_pipeline_run(self.namespace, self.pipeline, self.number), self.poll_interval)
        yield TriggerEvent({"number": run["number"], "phase": run["phase"],
                            "reason": run.get("reason"), "failed": _failed_steps(run)})


class SluicePipelineRunOperator(BaseOperator):
    """Starts a run of a Sluice pipeline and waits for it; its run number is the XCom value.

    Every try of one task instance uses the same Idempotency-Key, so a retried task finds the
    run its first try started. If that run failed or was cancelled, the retry resumes it
    (Sluice re-runs only the failed steps and their downstream, at the pinned job revisions, or
    at the jobs' current ones with retry_revisions="current"); a succeeded run is returned as is.
    """

    template_fields = ("base_url", "parameters")

    def __init__(self, *, base_url, namespace, pipeline, parameters=None, token=None,
                 poll_interval=10, run_timeout=None, deferrable=False, retry_revisions="pinned",
                 **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url
        self.namespace = namespace
        self.pipeline = pipeline
        self.parameters = parameters
        self.token = token
        self.poll_interval = poll_interval
        self.run_timeout = run_timeout
        self.deferrable = deferrable
        self.retry_revisions = retry_revisions
        self.run_number = None

    def _client(self):
        return SluiceClient(self.base_url, self.token)

    def submit(self, context):
        """The task instance's run: started once, resumed when an earlier try's run failed."""
        ti = context["ti"]
        key = idempotency_key(ti.dag_id, context["run_id"], ti.task_id, getattr(ti, "map_index", -1))
        client = self._client()
        number = client.submit_pipeline_run(self.namespace, self.pipeline, key, self.parameters)["number"]
        self.run_number = number
        run = client.get_pipeline_run(self.namespace, self.pipeline, number)
        if run["phase"] in ("FAILED", "CANCELLED"):
            try:
                run = client.retry_pipeline_run(self.namespace, self.pipeline, number, self.retry_revisions)
            except SluiceError as error:
                if error.status != 409:  # 409: another try resumed it first, or nothing to retry
                    raise
        return run

    def execute(self, context):
        run = self.submit(context)
        if run["phase"] == "SUCCEEDED":
            return run["number"]
        if self.deferrable:
            self.defer(trigger=SluicePipelineRunTrigger(self.base_url, self.namespace, self.pipeline,
                                                        run["number"], self.poll_interval, self.token),
                       method_name="execute_complete")
        finished = self._client().wait_for_pipeline_run(self.namespace, self.pipeline, run["number"],
                                                        self.poll_interval, self.run_timeout)
        return self._result(finished["number"], finished["phase"], _failed_steps(finished))

    def execute_complete(self, context, event):
        return self._result(event["number"], event["phase"], event.get("failed"))

    def _result(self, number, phase, failed):
        if phase != "SUCCEEDED":
            raise AirflowException(f"Sluice pipeline run {self.pipeline}#{number} ended {phase}"
                                   + (f": {failed}" if failed else ""))
        return number

    def on_kill(self):
        if self.run_number is not None:
            self._client().cancel_pipeline_run(self.namespace, self.pipeline, self.run_number)
