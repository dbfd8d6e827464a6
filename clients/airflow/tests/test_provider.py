"""Tests of the Sluice provider against a running Sluice (SLUICE_URL, SLUICE_TOKEN), with Airflow
replaced by stand-ins that mirror its interfaces (tests/stubs/airflow_stub_core.py says which
signatures, from which Airflow version's source). AIRFLOW_STUB_TREE picks the line: ``airflow2``
(2.10 module layout) or ``airflow3`` (``airflow.sdk``); AIRFLOW_STUB_VERSION the exact version
(e.g. 3.3.0, whose triggerer calls a trigger's on_kill).

Run by the Java test suite against the sandbox (AirflowOperatorTest); by hand:
    SLUICE_URL=http://localhost:8080 SLUICE_TOKEN=$(cat .sluice/sandbox/token) \\
    AIRFLOW_STUB_TREE=airflow3 python3 -m unittest -v clients/airflow/tests/test_provider.py
"""

import asyncio
import importlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import tomllib
import unittest
import urllib.request
import uuid
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TREE = os.environ.get("AIRFLOW_STUB_TREE", "airflow3")
sys.path[:0] = [os.path.join(HERE, "stubs"), os.path.join(HERE, "stubs", TREE), ROOT]

import airflow  # noqa: E402
import airflow_stub_core as af  # noqa: E402

from sluice_airflow import get_provider_info  # noqa: E402
from sluice_airflow.client import SluiceClient, SluiceError, idempotency_key  # noqa: E402
from sluice_airflow.hooks.sluice import SluiceHook  # noqa: E402
from sluice_airflow.links import SluiceRunLink  # noqa: E402
from sluice_airflow.operators.sluice import SluicePipelineRunOperator, SluiceRunOperator  # noqa: E402
from sluice_airflow.sensors.sluice import SluiceRunSensor  # noqa: E402
from sluice_airflow.triggers.sluice import SluiceRunTrigger  # noqa: E402
from sluice_airflow.version_compat import AIRFLOW_V_3_0_PLUS, AIRFLOW_V_3_3_PLUS  # noqa: E402

URL = os.environ.get("SLUICE_URL", "http://localhost:8080")
TOKEN = os.environ.get("SLUICE_TOKEN")
NAMESPACE = "airflow-" + uuid.uuid4().hex[:8]
# The Airflow Connection, as Airflow's environment secrets backend reads it: no token in DAG code.
os.environ["AIRFLOW_CONN_SLUICE_DEFAULT"] = json.dumps(
    {"conn_type": "sluice", "host": URL, "password": TOKEN, "extra": {"namespace": NAMESPACE}})
CLIENT = SluiceClient(URL, TOKEN)


def call(method, path, body=None):
    request = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/{path}",
                                     data=None if body is None else json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request) as response:
        payload = response.read()
        return response.status, json.loads(payload) if payload else None


def create_job(name, image="ghcr.io/acme/ingest:1.0"):
    assert call("POST", "jobs", {"name": name, "type": "ingestion", "spec": {"image": image}})[0] == 201


def create_pipeline(name, steps, parameters=None):
    spec = {"steps": steps}
    if parameters:
        spec["parameters"] = parameters
    assert call("POST", "pipelines", {"name": name, "spec": spec})[0] == 201


def context(task_id, run_id="scheduled__2026-11-26T00:00:00+00:00", ds="2026-11-26"):
    return {"ti": af.TaskInstance("clickstream_daily", task_id, run_id), "run_id": run_id, "ds": ds}


def first_event(trigger, timeout=60):
    async def first():
        async for event in trigger.run():
            return event.payload
    return asyncio.run(asyncio.wait_for(first(), timeout))


def stop_trigger(trigger, after=0.3, on_kill=False):
    """What the triggerer does to a running trigger: (on 3.3+, on_kill for a user kill) cancel it."""
    async def main():
        task = asyncio.ensure_future(_drain(trigger))
        await asyncio.sleep(after)
        if on_kill:
            await trigger.on_kill()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    asyncio.run(main())


async def _drain(trigger):
    async for _ in trigger.run():
        pass


def deferred(operator, ctx):
    with unittest.TestCase().assertRaises(af.TaskDeferred) as raised:
        operator.execute(ctx)
    trigger = raised.exception.trigger
    trigger.task_instance = ctx["ti"]  # the triggerer sets it
    ctx["ti"].set_state(af.TaskInstanceState.DEFERRED)
    return raised.exception


def tearDownModule():
    """Deletes what this module made, so a sandbox is not left full of airflow-* jobs."""
    for kind, suffix in (("pipelines", ""), ("jobs", "?purgeVolumes=true")):
        for item in call("GET", f"{kind}?limit=500")[1]["items"]:
            assert call("DELETE", f"{kind}/{item['name']}{suffix}")[0] in (202, 204)


class ConnectionTest(unittest.TestCase):

    def test_the_hook_reads_url_token_and_namespace_from_the_connection(self):
        hook = SluiceHook()
        self.assertEqual("sluice_default", hook.sluice_conn_id)
        self.assertEqual(URL, hook.base_url)
        self.assertEqual(NAMESPACE, hook.namespace())
        self.assertEqual("other", hook.namespace("other"))
        self.assertEqual(TOKEN, hook.get_conn().token)
        self.assertNotIn(TOKEN, repr(hook.get_conn()))
        ok, message = hook.test_connection()
        self.assertTrue(ok, message)

    def test_a_bare_host_takes_schema_and_port_and_the_token_may_be_an_extra(self):
        os.environ["AIRFLOW_CONN_SLUICE_BARE"] = json.dumps(
            {"conn_type": "sluice", "host": "sluice.internal", "schema": "https", "port": 8443,
             "extra": {"token": "abc", "namespace": "data"}})
        hook = SluiceHook("sluice_bare")
        self.assertEqual("https://sluice.internal:8443", hook.base_url)
        self.assertEqual("abc", hook.get_conn().token)

    def test_a_missing_connection_host_or_namespace_says_what_to_set(self):
        with self.assertRaises(af.AirflowNotFoundException):
            SluiceHook("sluice_nowhere").base_url
        os.environ["AIRFLOW_CONN_SLUICE_HOSTLESS"] = json.dumps({"conn_type": "sluice", "password": "x"})
        with self.assertRaises(af.AirflowException) as error:
            SluiceHook("sluice_hostless").base_url
        self.assertIn("has no host", str(error.exception))
        with self.assertRaises(af.AirflowException) as error:
            SluiceHook("sluice_hostless").namespace()
        self.assertIn("extra.namespace", str(error.exception))

    def test_a_wrong_token_fails_the_test_button_and_every_call(self):
        os.environ["AIRFLOW_CONN_SLUICE_WRONG"] = json.dumps(
            {"conn_type": "sluice", "host": URL, "password": "sluice_not-a-real-token"})
        ok, message = SluiceHook("sluice_wrong").test_connection()
        self.assertFalse(ok)
        self.assertIn("401", message)
        with self.assertRaises(SluiceError) as error:
            CLIENT.get_run(NAMESPACE, "no-such-job", 1)
        self.assertEqual(404, error.exception.status)
        self.assertEqual("JOB_NOT_FOUND", error.exception.problem["reason"])

    def test_the_provider_declares_its_connection_and_classes_and_builds(self):
        info = get_provider_info()
        self.assertEqual("sluice", info["connection-types"][0]["connection-type"])
        for path in [info["connection-types"][0]["hook-class-name"], *info["extra-links"]]:
            module, name = path.rsplit(".", 1)
            self.assertTrue(hasattr(importlib.import_module(module), name), path)
        for kind in ("hooks", "operators", "sensors", "triggers"):
            for module in info[kind][0]["python-modules"]:
                importlib.import_module(module)
        with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
            project = tomllib.load(f)["project"]
        self.assertEqual(info["versions"][0], project["version"])
        self.assertEqual("sluice_airflow:get_provider_info",
                         project["entry-points"]["apache_airflow_provider"]["provider_info"])
        # The package builds (an sdist needs only setuptools; a wheel also needs `wheel`).
        from setuptools import build_meta
        cwd = os.getcwd()
        with tempfile.TemporaryDirectory() as work:
            # Built from a copy: setuptools writes its egg-info next to the sources.
            source = os.path.join(work, "src")
            shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.egg-info"))
            out = os.path.join(work, "dist")
            try:
                os.chdir(source)
                sdist = build_meta.build_sdist(out)
                if importlib.util.find_spec("wheel"):  # setuptools before 70.1 builds wheels with it
                    wheel = build_meta.build_wheel(out)
                    self.assertTrue(wheel.startswith("airflow_provider_sluice-"), wheel)
            finally:
                os.chdir(cwd)
            import tarfile
            with tarfile.open(os.path.join(out, sdist)) as archive:
                names = archive.getnames()
        for module in ("hooks/sluice.py", "operators/sluice.py", "sensors/sluice.py", "triggers/sluice.py"):
            self.assertTrue(any(n.endswith("sluice_airflow/" + module) for n in names), module)
        self.assertTrue(any(n.endswith("entry_points.txt") for n in names))

    def test_keys_are_stable_per_task_instance(self):
        key = idempotency_key("dag", "run-1", "task")
        self.assertEqual(key, idempotency_key("dag", "run-1", "task"))
        self.assertNotEqual(key, idempotency_key("dag", "run-2", "task"))
        self.assertNotEqual(key, idempotency_key("dag", "run-1", "task", map_index=3))


class SluiceRunOperatorTest(unittest.TestCase):

    def operator(self, job, **kwargs):
        return SluiceRunOperator(task_id="ingest", job=job, poll_interval=0.2, run_timeout=60, **kwargs)

    def test_a_run_returns_its_number_renders_its_templates_and_links_to_it(self):
        create_job("happy")
        operator = self.operator("happy", args=["--date", "{{ ds }}"], env={"DAY": "{{ ds }}"})
        ctx = context("ingest")
        operator.render_template_fields(ctx)
        self.assertEqual(1, operator.execute(ctx))
        run = CLIENT.get_run(NAMESPACE, "happy", 1)
        self.assertEqual("SUCCEEDED", run["phase"])
        self.assertEqual(["--date", "2026-11-26"], run["overrides"]["args"])
        link = SluiceRunLink().get_link(operator, ti_key=ctx["ti"].key)
        self.assertEqual(f"{URL}/api/v1/namespaces/{NAMESPACE}/jobs/happy/runs/1", link)

    def test_a_retried_task_finds_its_first_run_instead_of_starting_another(self):
        create_job("retried")
        self.assertEqual(1, self.operator("retried").execute(context("ingest")))
        self.assertEqual(1, self.operator("retried").execute(context("ingest")))
        self.assertEqual(1, len(call("GET", "jobs/retried/runs")[1]["items"]))
        self.assertEqual(2, self.operator("retried").execute(context("ingest", run_id="scheduled__2026-11-27")))

    def test_a_failed_run_fails_the_task(self):
        create_job("broken", image="ghcr.io/acme/will-fail:1.0")
        with self.assertRaises(af.AirflowException) as failure:
            self.operator("broken").execute(context("ingest"))
        self.assertIn("FAILED", str(failure.exception))

    def test_killing_a_running_task_cancels_the_run(self):
        create_job("killed")
        operator = self.operator("killed")
        outcome = {}
        worker = threading.Thread(target=lambda: outcome.setdefault("error", _raises(operator.execute, context("ingest"))))
        worker.start()
        while operator.run_number is None:
            time.sleep(0.05)
        operator.on_kill()  # what Airflow calls on a worker when the task is killed
        worker.join(30)
        self.assertEqual("CANCELLED", CLIENT.get_run(NAMESPACE, "killed", 1)["phase"])
        self.assertIn("CANCELLED", str(outcome["error"]))

    def test_a_deferred_run_waits_in_the_triggerer_whose_trigger_holds_no_secret(self):
        create_job("deferred")
        ctx = context("ingest")
        deferral = deferred(self.operator("deferred", deferrable=True), ctx)
        self.assertEqual("execute_complete", deferral.method_name)
        self.assertEqual(timedelta(seconds=60), deferral.timeout)
        classpath, kwargs = deferral.trigger.serialize()
        self.assertEqual("sluice_airflow.triggers.sluice.SluiceRunTrigger", classpath)
        self.assertNotIn(TOKEN, json.dumps(kwargs), "the trigger table would hold the token")
        self.assertEqual("sluice_default", kwargs["sluice_conn_id"])
        module, name = classpath.rsplit(".", 1)
        revived = getattr(importlib.import_module(module), name)(**kwargs)  # in the triggerer
        payload = first_event(revived)
        self.assertEqual("SUCCEEDED", payload["phase"])
        self.assertEqual(1, self.operator("deferred").execute_complete(ctx, payload))

    def test_a_task_killed_while_deferred_cancels_its_run(self):
        create_job("killed-deferred")
        ctx = context("ingest")
        trigger = deferred(self.operator("killed-deferred", deferrable=True), ctx).trigger
        ctx["ti"].set_state(af.TaskInstanceState.FAILED)  # marked failed by a user
        stop_trigger(trigger, on_kill=AIRFLOW_V_3_3_PLUS)
        self.assertEqual("CANCELLED", CLIENT.get_run(NAMESPACE, "killed-deferred", 1)["phase"])

    def test_a_triggerer_restart_does_not_cancel_the_run(self):
        create_job("restarted")
        ctx = context("ingest")
        trigger = deferred(self.operator("restarted", deferrable=True), ctx).trigger
        stop_trigger(trigger)  # the task stays deferred: another triggerer takes the trigger over
        self.assertNotEqual("CANCELLED", CLIENT.get_run(NAMESPACE, "restarted", 1)["phase"])
        ctx["ti"].set_state(af.TaskInstanceState.DEFERRED)
        payload = first_event(trigger)
        self.assertEqual("SUCCEEDED", payload["phase"])


def _raises(fn, *args):
    try:
        fn(*args)
    except Exception as error:  # the outcome the test looks at
        return error
    return None


class SluicePipelineRunOperatorTest(unittest.TestCase):

    def operator(self, pipeline, **kwargs):
        return SluicePipelineRunOperator(task_id="daily", pipeline=pipeline, poll_interval=0.2,
                                         run_timeout=60, **kwargs)

    def test_a_pipeline_run_takes_templated_parameters_and_returns_its_number(self):
        create_job("extract")
        create_job("load")
        create_pipeline("daily", [
            {"name": "extract", "job": "extract", "args": ["--day", "${params.day}"]},
            {"name": "load", "job": "load", "dependsOn": ["extract"]}],
            parameters=[{"name": "day", "default": "2026-01-01"}])
        operator = self.operator("daily", parameters={"day": "{{ ds }}"})
        ctx = context("daily")
        operator.render_template_fields(ctx)
        self.assertEqual(1, operator.execute(ctx))
        run = CLIENT.get_pipeline_run(NAMESPACE, "daily", 1)
        self.assertEqual(["SUCCEEDED", "SUCCEEDED"], [s["phase"] for s in run["steps"]])
        self.assertEqual({"day": "2026-11-26"}, run["parameters"])
        self.assertTrue(SluiceRunLink().get_link(operator, ti_key=ctx["ti"].key).endswith("/pipelines/daily/runs/1"))
        self.assertEqual(1, self.operator("daily", parameters={"day": "2026-11-26"}).execute(context("daily")))

    def test_a_retried_task_resumes_its_failed_run_instead_of_starting_over(self):
        create_job("first")
        create_job("flaky", image="ghcr.io/acme/will-fail:1.0")
        create_pipeline("resumable", [
            {"name": "first", "job": "first"},
            {"name": "flaky", "job": "flaky", "dependsOn": ["first"]}])
        with self.assertRaises(af.AirflowException) as failure:
            self.operator("resumable").execute(context("daily"))
        self.assertIn("flaky", str(failure.exception))
        assert call("PUT", "jobs/flaky", {"spec": {"image": "ghcr.io/acme/ingest:1.1"}})[0] == 200
        number = self.operator("resumable", retry_revisions="current").execute(context("daily"))
        run = CLIENT.get_pipeline_run(NAMESPACE, "resumable", number)
        self.assertEqual((1, 2, "SUCCEEDED"), (number, run["attempt"], run["phase"]))
        steps = {s["name"]: s for s in run["steps"]}
        self.assertEqual(1, len(steps["first"]["attempts"]), "the succeeded step kept its run")

    def test_a_pipeline_task_killed_while_deferred_cancels_the_pipeline_run(self):
        create_job("slow")
        create_pipeline("killed", [{"name": "slow", "job": "slow"}])
        ctx = context("daily")
        trigger = deferred(self.operator("killed", deferrable=True), ctx).trigger
        self.assertEqual("sluice_airflow.triggers.sluice.SluicePipelineRunTrigger", trigger.serialize()[0])
        ctx["ti"].set_state(af.TaskInstanceState.UP_FOR_RETRY)  # its execution timeout passed
        stop_trigger(trigger, on_kill=AIRFLOW_V_3_3_PLUS)
        payload = first_event(type(trigger)(**trigger.serialize()[1]))
        self.assertEqual("CANCELLED", payload["phase"])
        with self.assertRaises(af.AirflowException):
            self.operator("killed").execute_complete(ctx, payload)


class SluiceRunSensorTest(unittest.TestCase):

    def start(self, job, image="ghcr.io/acme/ingest:1.0"):
        create_job(job, image)
        return CLIENT.submit_run(NAMESPACE, job, "someone-else-" + job)["number"]

    def sensor(self, job, number, **kwargs):
        return SluiceRunSensor(task_id="wait", job=job, number=number, poke_interval=0.2, timeout=60, **kwargs)

    def test_the_sensor_waits_for_a_run_someone_else_started(self):
        number = self.start("theirs")
        self.assertEqual(number, self.sensor("theirs", number).execute(context("wait")))
        self.assertEqual("SUCCEEDED", CLIENT.get_run(NAMESPACE, "theirs", number)["phase"])

    def test_a_failed_run_fails_the_sensor(self):
        number = self.start("theirs-broken", image="ghcr.io/acme/will-fail:1.0")
        with self.assertRaises(af.AirflowException) as failure:
            self.sensor("theirs-broken", number).execute(context("wait"))
        self.assertIn("FAILED", str(failure.exception))

    def test_a_deferred_sensor_never_cancels_the_run_it_watches(self):
        number = self.start("watched")
        ctx = context("wait")
        trigger = deferred(self.sensor("watched", number, deferrable=True), ctx).trigger
        self.assertFalse(trigger.serialize()[1]["cancel_on_kill"])
        ctx["ti"].set_state(af.TaskInstanceState.FAILED)
        stop_trigger(trigger, on_kill=AIRFLOW_V_3_3_PLUS)
        self.assertNotEqual("CANCELLED", CLIENT.get_run(NAMESPACE, "watched", number)["phase"])
        payload = first_event(type(trigger)(**trigger.serialize()[1]))
        self.assertEqual(number, self.sensor("watched", number).execute_complete(ctx, payload))


class AirflowLineTest(unittest.TestCase):

    def test_the_provider_imports_what_this_airflow_line_offers(self):
        self.assertEqual(TREE == "airflow3", AIRFLOW_V_3_0_PLUS, airflow.__version__)
        where = "airflow.sdk" if AIRFLOW_V_3_0_PLUS else "airflow.models"
        self.assertTrue(issubclass(SluiceRunOperator, importlib.import_module(where).BaseOperator))
        # Each stand-in tree has only its line's modules: the provider imported from the right ones.
        other = "airflow.models" if AIRFLOW_V_3_0_PLUS else "airflow.sdk"
        self.assertIsNone(importlib.util.find_spec(other), f"{other} exists only in the other line")
        self.assertEqual(airflow.__version__.startswith("3.3"), AIRFLOW_V_3_3_PLUS)


if __name__ == "__main__":
    unittest.main()
