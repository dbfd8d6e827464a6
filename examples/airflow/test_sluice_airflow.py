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
from sluice_airflow import AirflowException, SluiceClient, SluiceRunOperator, SluiceRunTrigger  # noqa: E402

URL = os.environ.get("SLUICE_URL", "http://localhost:8080")
TOKEN = os.environ.get("SLUICE_TOKEN")
NAMESPACE = "airflow-" + uuid.uuid4().hex[:8]


def create_job(name, image="ghcr.io/acme/ingest:1.0"):
    body = json.dumps({"name": name, "type": "ingestion", "spec": {"image": image}}).encode()
    request = urllib.request.Request(f"{URL}/api/v1/namespaces/{NAMESPACE}/jobs", data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request) as response:
        assert response.status == 201


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


if __name__ == "__main__":
    unittest.main()
