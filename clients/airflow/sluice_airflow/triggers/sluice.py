"""Triggers that wait for a Sluice run or pipeline run in Airflow's triggerer.

They carry the connection id, never the token: what a trigger serializes is stored in plain text
in Airflow's metadata database (the trigger table). The token is looked up in the triggerer.

**Cancel while deferred.** While a task is deferred no worker runs it, so Airflow never calls the
operator's ``on_kill`` (apache/airflow#36090). These triggers cancel the Sluice run themselves
when their task is killed:

- Airflow 3.3 and later call a trigger's ``on_kill()`` when a user kills its deferred task
  (marks it failed or success, clears it); the run is cancelled there.
- Before 3.3 the trigger is only cancelled (``asyncio.CancelledError``), for a kill and for a
  triggerer restart or hand-over alike. The trigger then asks for its task's state: ``deferred``
  means the task lives on and will be resumed by another triggerer, so the run is left alone;
  any other state (failed, success, up_for_retry after a timeout, none after a clear) means it
  was killed, and the run is cancelled.
- Never cancelled: a run whose event was already fired (the task resumes on a worker and ends
  there), and runs a sensor waits for (``cancel_on_kill=False``: someone else started them).
- If the task's state cannot be read, nothing is cancelled: an unwanted cancel loses work, a
  missed one only lets a run finish.
"""

from __future__ import annotations

import asyncio

from sluice_airflow.client import failed_steps, poll_until_ended
from sluice_airflow.hooks.sluice import SluiceHook
from sluice_airflow.version_compat import DEFERRED, AIRFLOW_V_3_3_PLUS, BaseTrigger, TriggerEvent, task_state


class _SluiceTrigger(BaseTrigger):
    """Polls one thing until it ends; cancels it if the deferred task is killed (see module)."""

    def __init__(self, sluice_conn_id, namespace, number, poll_interval=10, cancel_on_kill=True):
        super().__init__()
        self.sluice_conn_id = sluice_conn_id
        self.namespace = namespace
        self.number = int(number)
        self.poll_interval = poll_interval
        self.cancel_on_kill = cancel_on_kill
        self._fired = False
        self._cancelled = False

    def _kwargs(self):
        return {"sluice_conn_id": self.sluice_conn_id, "namespace": self.namespace,
                "number": self.number, "poll_interval": self.poll_interval,
                "cancel_on_kill": self.cancel_on_kill}

    async def _client(self):
        # The connection is read (Airflow's secrets backends, its database) off the event loop.
        hook = SluiceHook(self.sluice_conn_id)
        return await asyncio.get_running_loop().run_in_executor(None, hook.get_conn)

    def _read(self, client):
        raise NotImplementedError

    def _cancel(self, client):
        raise NotImplementedError

    def _event(self, ended):
        raise NotImplementedError

    async def run(self):
        try:
            client = await self._client()
            ended = await poll_until_ended(lambda: self._read(client), self.poll_interval)
            self._fired = True
            yield TriggerEvent(self._event(ended))
        except asyncio.CancelledError:
            if not AIRFLOW_V_3_3_PLUS and await self.safe_to_cancel():
                await self._cancel_run()
            raise

    async def on_kill(self):
        """Airflow 3.3+: the user killed the deferred task."""
        await self._cancel_run()

    async def safe_to_cancel(self):
        """Whether the trigger stops because its task was killed (not a triggerer restart)."""
        if not self.cancel_on_kill or self._fired or self.task_instance is None:
            return False
        try:
            state = await asyncio.get_running_loop().run_in_executor(
                None, task_state, self.task_instance)
        except Exception as error:  # unknown: leave the run alone
            self.log.warning("Could not read the task's state (%s); the Sluice run is left running", error)
            return False
        return state is not None and str(getattr(state, "value", state)) != DEFERRED

    async def _cancel_run(self):
        if not self.cancel_on_kill or self._fired or self._cancelled:
            return
        self._cancelled = True
        client = await self._client()
        await asyncio.get_running_loop().run_in_executor(None, self._cancel, client)
        self.log.info("The task was killed while deferred: cancelled %s", self._what())

    def _what(self):
        raise NotImplementedError


class SluiceRunTrigger(_SluiceTrigger):
    """Waits for run ``number`` of job ``job``; its event says how the run ended."""

    def __init__(self, sluice_conn_id, namespace, job, number, poll_interval=10, cancel_on_kill=True):
        super().__init__(sluice_conn_id, namespace, number, poll_interval, cancel_on_kill)
        self.job = job

    def serialize(self):
        return ("sluice_airflow.triggers.sluice.SluiceRunTrigger", {**self._kwargs(), "job": self.job})

    def _read(self, client):
        return client.get_run(self.namespace, self.job, self.number)

    def _cancel(self, client):
        client.cancel_run(self.namespace, self.job, self.number)

    def _event(self, run):
        return {"number": run["number"], "phase": run["phase"], "reason": run.get("reason"),
                "exitCode": run.get("exitCode")}

    def _what(self):
        return f"run {self.job}#{self.number}"


class SluicePipelineRunTrigger(_SluiceTrigger):
    """Waits for run ``number`` of pipeline ``pipeline``; its event names the failed steps."""

    def __init__(self, sluice_conn_id, namespace, pipeline, number, poll_interval=10, cancel_on_kill=True):
        super().__init__(sluice_conn_id, namespace, number, poll_interval, cancel_on_kill)
        self.pipeline = pipeline

    def serialize(self):
        return ("sluice_airflow.triggers.sluice.SluicePipelineRunTrigger",
                {**self._kwargs(), "pipeline": self.pipeline})

    def _read(self, client):
        return client.get_pipeline_run(self.namespace, self.pipeline, self.number)

    def _cancel(self, client):
        client.cancel_pipeline_run(self.namespace, self.pipeline, self.number)

    def _event(self, run):
        return {"number": run["number"], "phase": run["phase"], "reason": run.get("reason"),
                "failed": failed_steps(run)}

    def _what(self):
        return f"pipeline run {self.pipeline}#{self.number}"
