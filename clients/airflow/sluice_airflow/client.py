"""Sluice's HTTP API, the few calls an orchestrator needs: standard library only."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request

TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")


class SluiceError(Exception):
    """An error answer from Sluice, with its HTTP status and problem document (RFC 9457)."""

    def __init__(self, status, problem):
        super().__init__(f"Sluice answered {status}: {problem.get('detail') or problem}")
        self.status = status
        self.problem = problem


class SluiceClient:
    """Runs and pipeline runs over plain HTTP, authenticated with an API token."""

    def __init__(self, base_url, token=None, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def __repr__(self):  # never the token
        return f"SluiceClient({self.base_url!r})"

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

    @staticmethod
    def _quote(*parts):
        return [urllib.parse.quote(str(p), safe="") for p in parts]

    def runs_path(self, namespace, job):
        ns, name = self._quote(namespace, job)
        return f"/api/v1/namespaces/{ns}/jobs/{name}/runs"

    def pipeline_runs_path(self, namespace, pipeline):
        ns, name = self._quote(namespace, pipeline)
        return f"/api/v1/namespaces/{ns}/pipelines/{name}/runs"

    def url(self, path):
        """The absolute URL of an API path: what an operator's extra link points at."""
        return self.base_url + path

    # ---- job runs ------------------------------------------------------------------------

    def submit_run(self, namespace, job, idempotency_key, args=None, env=None):
        body = {}
        if args:
            body["args"] = [str(a) for a in args]
        if env:
            body["env"] = [{"name": k, "value": str(v)} for k, v in env.items()]
        return self._call("POST", self.runs_path(namespace, job), body,
                          {"Idempotency-Key": idempotency_key})

    def get_run(self, namespace, job, number):
        return self._call("GET", f"{self.runs_path(namespace, job)}/{int(number)}")

    def cancel_run(self, namespace, job, number):
        """Cancels the run; one that already ended is left as it is (returns None)."""
        return _unless_ended(lambda: self._call(
            "POST", f"{self.runs_path(namespace, job)}/{int(number)}/cancel", {}))

    # ---- pipeline runs -------------------------------------------------------------------

    def submit_pipeline_run(self, namespace, pipeline, idempotency_key, parameters=None):
        body = {"parameters": {k: str(v) for k, v in parameters.items()}} if parameters else {}
        return self._call("POST", self.pipeline_runs_path(namespace, pipeline), body,
                          {"Idempotency-Key": idempotency_key})

    def get_pipeline_run(self, namespace, pipeline, number):
        return self._call("GET", f"{self.pipeline_runs_path(namespace, pipeline)}/{int(number)}")

    def cancel_pipeline_run(self, namespace, pipeline, number):
        """Cancels the pipeline run; one that already ended is left as it is (returns None)."""
        return _unless_ended(lambda: self._call(
            "POST", f"{self.pipeline_runs_path(namespace, pipeline)}/{int(number)}/cancel", {}))

    def retry_pipeline_run(self, namespace, pipeline, number, revisions="pinned"):
        """Re-runs the failed and cancelled steps (and their downstream) of an ended run."""
        return self._call("POST", f"{self.pipeline_runs_path(namespace, pipeline)}/{int(number)}/retry",
                          {"revisions": revisions})


def _unless_ended(cancel):
    try:
        return cancel()
    except SluiceError as error:
        if error.status == 409:  # it ended first
            return None
        raise


def wait(read, what, poll_interval, timeout=None, error=RuntimeError):
    """Polls read() until the run has ended; raises error after timeout seconds."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        run = read()
        if run["phase"] in TERMINAL:
            return run
        if deadline is not None and time.monotonic() > deadline:
            raise error(f"Sluice {what} still {run['phase']} after {timeout}s")
        time.sleep(poll_interval)


async def poll_until_ended(read, poll_interval):
    """Calls read() (blocking HTTP, so off the triggerer's event loop) until the run has ended."""
    while True:
        run = await asyncio.get_running_loop().run_in_executor(None, read)
        if run["phase"] in TERMINAL:
            return run
        await asyncio.sleep(poll_interval)


def idempotency_key(dag_id, run_id, task_id, map_index=-1):
    """The same for every try of one task instance, different for every other one."""
    digest = hashlib.sha256(f"{dag_id}\n{run_id}\n{task_id}\n{map_index}".encode("utf-8")).hexdigest()
    return "airflow-" + digest[:48]


def failed_steps(run):
    """The failed and cancelled steps of a pipeline run, with why, for an error message."""
    return ", ".join(f"{s['name']} ({s.get('reason') or s['phase']})"
                     for s in run.get("steps", []) if s["phase"] in ("FAILED", "CANCELLED"))
