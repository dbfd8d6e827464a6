// Drives a running Sluice (SLUICE_URL, SLUICE_TOKEN) through the generated client, as a frontend would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sluiceClient, type Problem } from "../src/index.js";

const url = process.env.SLUICE_URL ?? "http://localhost:8080";
const client = sluiceClient(url, process.env.SLUICE_TOKEN);
const namespace = "ts-" + Math.random().toString(36).slice(2, 10);
const path = { namespace, name: "frontend-ingest" };

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

test("create, run, poll, scale, roll back and read a problem", async () => {
  const created = await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace }, header: { "Idempotency-Key": "ts-create-1" } },
    body: { name: path.name, type: "ingestion", spec: { image: "ghcr.io/acme/ingest:1.0" } },
  });
  assert.equal(created.response.status, 201);
  assert.equal(created.data?.workload, "batch");

  const run = await client.POST("/api/v1/namespaces/{namespace}/jobs/{name}/runs", {
    params: { path, header: { "Idempotency-Key": "ts-run-1" } },
    body: { args: ["--from", "frontend"] },
  });
  assert.equal(run.response.status, 201);
  const number = run.data!.number!;
  const finished = await until(
    async () => (await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}/runs/{run}", {
      params: { path: { ...path, run: number } },
    })).data!,
    (r) => r.phase === "SUCCEEDED" || r.phase === "FAILED",
  );
  assert.equal(finished.phase, "SUCCEEDED");

  const scaled = await client.PUT("/api/v1/namespaces/{namespace}/jobs/{name}/scale", {
    params: { path },
    body: { replicas: 2 },
  });
  assert.equal(scaled.data?.replicas, 2);

  const updated = await client.PUT("/api/v1/namespaces/{namespace}/jobs/{name}", {
    params: { path },
    body: { spec: { image: "ghcr.io/acme/ingest:2.0" }, changeCause: "new image" },
  });
  assert.equal(updated.data?.revision, 2);
  const rolledBack = await client.POST("/api/v1/namespaces/{namespace}/jobs/{name}/rollback", {
    params: { path },
    body: {},
  });
  assert.equal(rolledBack.data?.revision, 3);
  assert.equal(rolledBack.data?.spec?.image, "ghcr.io/acme/ingest:1.0");

  const invalid = await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace } },
    body: { name: "Not Valid", type: "ingestion", spec: { image: "x" } },
  });
  assert.equal(invalid.response.status, 422);
  assert.equal(invalid.response.headers.get("content-type"), "application/problem+json");
  const problem = invalid.error as unknown as Problem;
  assert.equal(problem.reason, "VALIDATION_FAILED");
  assert.ok(problem.errors?.some((e) => e.field === "name"));
});

test("a call without a valid token is refused with a problem", async () => {
  for (const token of [undefined, "sluice_not-a-real-token"]) {
    const anonymous = sluiceClient(url, token);
    const answer = await anonymous.GET("/api/v1/namespaces/{namespace}/jobs", {
      params: { path: { namespace } },
    });
    assert.equal(answer.response.status, 401);
    assert.equal((answer.error as unknown as Problem).reason, "UNAUTHENTICATED");
  }
});
