"""Tests of sluice_airflow against a running Sluice (SLUICE_URL), with Airflow stubbed.

Run by the Java test suite against the sandbox; by hand:
    SLUICE_URL=http://localhost:8080 SLUICE_TOKEN=... python3 -m unittest -v examples/airflow/test_sluice_airflow.py
"""

import asyncio
import json
import os
import sys
import unittest
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sluice_airflow  # noqa: E402
from sluice_airflow import (  # noqa: E402
    AirflowException, SluiceClient, SluicePipelineRunOperator, SluicePipelineRunTrigger, SluiceRunOperator,
    SluiceRunTrigger)

URL = os.environ.get("SLUICE_URL", "http://localhost:8080")
TOKEN = os.environ.get("SLUICE_TOKEN")
NAMESPACE = "airflow-" + uuid.uuid4().hex[:8]


def call(method, path, body):
    request = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/{path}",
                                     data=json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request) as response:
        return response.status


def create_job(name, image="ghcr.io/acme/ingest:1.0"):
    assert call("POST", "jobs", {"name": name, "type": "ingestion", "spec": {"image": image}}) == 201


def create_pipeline(name, steps, parameters=None):
    spec = {"steps": steps}
    if parameters:
        spec["parameters"] = parameters
    assert call("POST", "pipelines", {"name": name, "spec": spec}) == 201


class TaskInstance:
    """What the operator reads from Airflow's task instance."""

    def __init__(self, task_id, dag_id="clickstream_daily", map_index=-1):
        self.task_id = task_id
        self.dag_id = dag_id
        self.map_index = map_index


def context(task_id, run_id="scheduled__2026-11-26T00:00:00+00:00"):
    return {"ti": TaskInstance(task_id), "run_id": run_id}


def tearDownModule():
    """Deletes the jobs this module made, so a sandbox is not left full of airflow-* jobs."""
    pipelines = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/pipelines?limit=500",
                                       headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(pipelines) as response:
        for name in [p["name"] for p in json.load(response)["items"]]:
            delete = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/pipelines/{name}",
                                            method="DELETE", headers={"Authorization": "Bearer " + TOKEN})
            with urllib.request.urlopen(delete) as answer:
                assert answer.status == 204
    listing = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/jobs?limit=500",
                                     headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(listing) as response:
        names = [job["name"] for job in json.load(response)["items"]]
    for name in names:
        delete = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/jobs/{name}?purgeVolumes=true",
                                        method="DELETE", headers={"Authorization": "Bearer " + TOKEN})
        with urllib.request.urlopen(delete) as response:
            assert response.status == 202


class SluiceRunOperatorTest(unittest.TestCase):

    def operator(self, job, **kwargs):
        return SluiceRunOperator(task_id="ingest", base_url=URL, token=TOKEN, namespace=NAMESPACE, job=job,
                                 poll_interval=0.2, run_timeout=60, **kwargs)

    def test_a_successful_run_returns_its_number(self):
        create_job("happy")
        number = self.operator("happy", args=["--date", "2026-11-26"]).execute(context("ingest"))
        self.assertEqual(1, number)
        run = SluiceClient(URL, TOKEN).get_run(NAMESPACE, "happy", 1)
        self.assertEqual("SUCCEEDED", run["phase"])
        self.assertEqual(["--date", "2026-11-26"], run["overrides"]["args"])

    def test_a_retried_task_finds_its_first_run_instead_of_starting_another(self):
        create_job("retried")
        first = self.operator("retried").execute(context("ingest"))
        second = self.operator("retried").execute(context("ingest"))
        self.assertEqual(first, second)
        runs = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/jobs/retried/runs",
                                      headers={"Authorization": "Bearer " + TOKEN})
        with urllib.request.urlopen(runs) as response:
            self.assertEqual(1, len(json.loads(response.read())["items"]))
        other_day = self.operator("retried").execute(context("ingest", run_id="scheduled__2026-11-27"))
        self.assertEqual(2, other_day)

    def test_a_failed_run_fails_the_task(self):
        create_job("broken", image="ghcr.io/acme/will-fail:1.0")
        with self.assertRaises(AirflowException) as failure:
            self.operator("broken").execute(context("ingest"))
        self.assertIn("FAILED", str(failure.exception))

    def test_killing_the_task_cancels_the_run(self):
        create_job("killed")
        operator = self.operator("killed")
        run = operator.submit(context("ingest"))
        operator.on_kill()
        self.assertEqual("CANCELLED", SluiceClient(URL, TOKEN).get_run(NAMESPACE, "killed", run["number"])["phase"])
        operator.on_kill()  # a second kill of an ended run is harmless

    def test_the_trigger_waits_without_a_worker_and_reports_the_outcome(self):
        create_job("deferred")
        operator = self.operator("deferred")
        run = operator.submit(context("ingest"))
        trigger = SluiceRunTrigger(URL, NAMESPACE, "deferred", run["number"], poll_interval=0.2, token=TOKEN)

        async def first_event():
            async for event in trigger.run():
                return event.payload

        payload = asyncio.run(asyncio.wait_for(first_event(), timeout=60))
        self.assertEqual("SUCCEEDED", payload["phase"])
        self.assertEqual(run["number"], operator.execute_complete(context("ingest"), payload))
        self.assertEqual("sluice_airflow.SluiceRunTrigger", trigger.serialize()[0])

    def test_errors_carry_the_problem_document(self):
        with self.assertRaises(sluice_airflow.SluiceError) as error:
            SluiceClient(URL, TOKEN).get_run(NAMESPACE, "no-such-job", 1)
        self.assertEqual(404, error.exception.status)
        self.assertEqual("JOB_NOT_FOUND", error.exception.problem["reason"])

    def test_a_missing_or_wrong_token_is_refused(self):
        for token in (None, "sluice_not-a-real-token"):
            with self.assertRaises(sluice_airflow.SluiceError) as error:
                SluiceClient(URL, token).get_run(NAMESPACE, "no-such-job", 1)
            self.assertEqual(401, error.exception.status)
            self.assertEqual("UNAUTHENTICATED", error.exception.problem["reason"])

    def test_keys_are_stable_per_task_instance(self):
        key = sluice_airflow.idempotency_key("dag", "run-1", "task")
        self.assertEqual(key, sluice_airflow.idempotency_key("dag", "run-1", "task"))
        self.assertNotEqual(key, sluice_airflow.idempotency_key("dag", "run-2", "task"))
        self.assertNotEqual(key, sluice_airflow.idempotency_key("dag", "run-1", "task", map_index=3))
        self.assertLessEqual(len(key), 255)


class SluicePipelineRunOperatorTest(unittest.TestCase):

    def operator(self, pipeline, **kwargs):
        return SluicePipelineRunOperator(task_id="daily", base_url=URL, token=TOKEN, namespace=NAMESPACE,
                                         pipeline=pipeline, poll_interval=0.2, run_timeout=60, **kwargs)

    def test_a_pipeline_run_with_parameters_returns_its_number(self):
        create_job("extract")
        create_job("load")
        create_pipeline("daily", [
            {"name": "extract", "job": "extract", "args": ["--day", "${params.day}"]},
            {"name": "load", "job": "load", "dependsOn": ["extract"]}],
            parameters=[{"name": "day", "default": "2026-01-01"}])
        number = self.operator("daily", parameters={"day": "2026-11-26"}).execute(context("daily"))
        self.assertEqual(1, number)
        run = SluiceClient(URL, TOKEN).get_pipeline_run(NAMESPACE, "daily", 1)
        self.assertEqual(["SUCCEEDED", "SUCCEEDED"], [s["phase"] for s in run["steps"]])
        self.assertEqual({"day": "2026-11-26"}, run["parameters"])
        # A retried task of the same instance finds the succeeded run: no second run.
        self.assertEqual(1, self.operator("daily", parameters={"day": "2026-11-26"}).execute(context("daily")))

    def test_a_retried_task_resumes_its_failed_run_instead_of_starting_over(self):
        create_job("first")
        create_job("flaky", image="ghcr.io/acme/will-fail:1.0")
        create_pipeline("resumable", [
            {"name": "first", "job": "first"},
            {"name": "flaky", "job": "flaky", "dependsOn": ["first"]}])
        with self.assertRaises(AirflowException) as failure:
            self.operator("resumable").execute(context("daily"))
        self.assertIn("flaky", str(failure.exception))
        assert call("PUT", "jobs/flaky", {"spec": {"image": "ghcr.io/acme/ingest:1.1"}}) == 200
        number = self.operator("resumable", retry_revisions="current").execute(context("daily"))
        run = SluiceClient(URL, TOKEN).get_pipeline_run(NAMESPACE, "resumable", number)
        self.assertEqual((1, 2, "SUCCEEDED"), (number, run["attempt"], run["phase"]))
        steps = {s["name"]: s for s in run["steps"]}
        self.assertEqual(1, len(steps["first"]["attempts"]), "the succeeded step kept its run")
        self.assertEqual([1, 2], [a["revision"] for a in steps["flaky"]["attempts"]])

    def test_killing_the_task_cancels_the_pipeline_run_and_the_trigger_reports_it(self):
        create_job("slow")
        create_pipeline("killed", [{"name": "slow", "job": "slow"}])
        operator = self.operator("killed")
        run = operator.submit(context("daily"))
        operator.on_kill()
        trigger = SluicePipelineRunTrigger(URL, NAMESPACE, "killed", run["number"], poll_interval=0.2, token=TOKEN)

        async def first_event():
            async for event in trigger.run():
                return event.payload

        payload = asyncio.run(asyncio.wait_for(first_event(), timeout=60))
        self.assertEqual("CANCELLED", payload["phase"])
        with self.assertRaises(AirflowException):
            operator.execute_complete(context("daily"), payload)
        operator.on_kill()  # a second kill of an ended run is harmless
        self.assertEqual("sluice_airflow.SluicePipelineRunTrigger", trigger.serialize()[0])


if __name__ == "__main__":
    unittest.main()
