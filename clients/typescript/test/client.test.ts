// Drives a running Sluice (SLUICE_URL, SLUICE_TOKEN) through the generated client, as a frontend would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sluiceClient, watch, WatchError, type JobWatchEvent, type Problem } from "../src/index.js";

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
  const diff = await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}/revisions/{from}/diff/{to}", {
    params: { path: { ...path, from: 1, to: 2 } },
  });
  assert.ok((diff.data?.changes?.length ?? 0) > 0);
  const events = await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}/events", {
    params: { path, query: { limit: 50 } },
  });
  const actions = events.data!.items!.map((e) => e.action);
  assert.equal(actions[actions.length - 1], "job.created", "newest first");
  for (const [name, type, workload] of [["ts-nightly", "ingestion", "scheduled"], ["ts-store", "storage", "stateful"]] as const) {
    const made = await client.POST("/api/v1/namespaces/{namespace}/jobs", {
      params: { path: { namespace } },
      body: {
        name, type, workload,
        spec: workload === "scheduled" ? { image: "ghcr.io/acme/ingest:1.0", schedule: "0 3 * * *" } : { image: "ghcr.io/acme/store:1.0" },
      },
    });
    assert.equal(made.response.status, 201);
    assert.equal(made.data?.workload, workload);
  }

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

test("replays, conditional requests, paging, logs and manifests", async () => {
  const job = { namespace, name: "frontend-paged" };
  const body = { name: job.name, type: "ingestion" as const, spec: { image: "ghcr.io/acme/ingest:1.0" } };
  const first = await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace }, header: { "Idempotency-Key": "ts-paged-1" } },
    body,
  });
  const again = await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace }, header: { "Idempotency-Key": "ts-paged-1" } },
    body,
  });
  assert.equal(again.response.status, 201);
  assert.equal(again.response.headers.get("idempotent-replayed"), "true");
  assert.equal(again.data?.id, first.data?.id);

  // A stale If-Match is 412; If-None-Match with the current ETag is 304.
  const etag = first.response.headers.get("etag")!;
  const stale = await client.PUT("/api/v1/namespaces/{namespace}/jobs/{name}", {
    params: { path: job, header: { "If-Match": '"999"' } },
    body: { spec: { image: "ghcr.io/acme/ingest:9.0" } },
  });
  assert.equal(stale.response.status, 412);
  const unchanged = await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}", {
    params: { path: job, header: { "If-None-Match": etag } },
  });
  assert.equal(unchanged.response.status, 304);

  // Paging: 12 more jobs, pages of 5, typed limit.
  for (let i = 0; i < 12; i++) {
    await client.POST("/api/v1/namespaces/{namespace}/jobs", {
      params: { path: { namespace } },
      body: { ...body, name: `frontend-page-${i}` },
    });
  }
  const names = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await client.GET("/api/v1/namespaces/{namespace}/jobs", {
      params: { path: { namespace }, query: { limit: 5, cursor } },
    });
    page.data!.items!.forEach((j) => names.add(j.name!));
    cursor = page.data!.nextCursor;
  } while (cursor);
  assert.ok(names.size >= 13, `paged through ${names.size} jobs`);

  // A run's logs, and the manifests as JSON objects.
  const run = await client.POST("/api/v1/namespaces/{namespace}/jobs/{name}/runs", { params: { path: job } });
  const number = run.data!.number!;
  await until(
    async () => (await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}/runs/{run}", {
      params: { path: { ...job, run: number } },
    })).data!,
    (r) => r.phase === "SUCCEEDED" || r.phase === "FAILED",
  );
  const logs = await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}/runs/{run}/logs", {
    params: { path: { ...job, run: number }, query: { tailLines: 50 } },
    parseAs: "text",
  });
  assert.ok(String(logs.data).includes("Exited with code"), String(logs.data));
  await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace } },
    body: { name: "frontend-web", type: "processing", workload: "service", spec: { image: "ghcr.io/acme/enrich:1.0" } },
  });
  const manifests = await fetch(`${url}/api/v1/namespaces/${namespace}/jobs/frontend-web/manifests`, {
    headers: { Accept: "application/json", Authorization: `Bearer ${process.env.SLUICE_TOKEN}` },
  });
  assert.equal(manifests.status, 200);
  const objects = (await manifests.json()) as Array<{ kind: string }>;
  assert.ok(objects.some((o) => o.kind === "Deployment"), JSON.stringify(objects.map((o) => o.kind)));
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

test("a pipeline: create, run with parameters, follow the DAG, read the step's run", async () => {
  for (const name of ["ts-extract", "ts-load"]) {
    await client.POST("/api/v1/namespaces/{namespace}/jobs", {
      params: { path: { namespace } },
      body: { name, type: "ingestion", spec: { image: "ghcr.io/acme/ingest:1.0" } },
    });
  }
  const created = await client.POST("/api/v1/namespaces/{namespace}/pipelines", {
    params: { path: { namespace } },
    body: {
      name: "ts-daily",
      spec: {
        parameters: [{ name: "day", default: "2026-12-01" }],
        steps: [
          { name: "extract", job: "ts-extract", args: ["--day", "${params.day}"] },
          { name: "load", job: "ts-load", dependsOn: ["extract"], when: "succeeded" },
        ],
      },
    },
  });
  assert.equal(created.response.status, 201);
  assert.equal(created.data?.revision, 1);

  const cyclic = await client.POST("/api/v1/namespaces/{namespace}/pipelines", {
    params: { path: { namespace } },
    body: { name: "ts-loop", spec: { steps: [{ name: "a", job: "ts-load", dependsOn: ["a"] }] } },
  });
  assert.equal(cyclic.response.status, 422);
  assert.ok((cyclic.error as unknown as Problem).errors?.some((e) => e.field === "spec.steps[0].dependsOn[0]"));

  const path = { namespace, name: "ts-daily" };
  const started = await client.POST("/api/v1/namespaces/{namespace}/pipelines/{name}/runs", {
    params: { path, header: { "Idempotency-Key": "ts-pipeline-run-1" } },
    body: { parameters: { day: "2026-12-02" } },
  });
  assert.equal(started.response.status, 201);
  const number = started.data!.number!;
  const done = await until(
    async () => (await client.GET("/api/v1/namespaces/{namespace}/pipelines/{name}/runs/{run}", {
      params: { path: { ...path, run: number } },
    })).data!,
    (r) => r.phase === "SUCCEEDED" || r.phase === "FAILED",
  );
  assert.equal(done.phase, "SUCCEEDED");
  assert.deepEqual(done.steps?.map((s) => s.phase), ["SUCCEEDED", "SUCCEEDED"]);
  const attempt = done.steps![0].attempts![0];
  const stepRun = await client.GET("/api/v1/namespaces/{namespace}/jobs/{name}/runs/{run}", {
    params: { path: { namespace, name: "ts-extract", run: attempt.run! } },
  });
  assert.deepEqual(stepRun.data?.overrides?.args, ["--day", "2026-12-02"]);
  assert.equal(stepRun.data?.pipelineRun?.pipeline, "ts-daily");

  const retry = await client.POST("/api/v1/namespaces/{namespace}/pipelines/{name}/runs/{run}/retry", {
    params: { path: { ...path, run: number } },
    body: {},
  });
  assert.equal(retry.response.status, 409, "nothing failed");
  assert.equal((retry.error as unknown as Problem).reason, "NOTHING_TO_RETRY");
});

test("watch a list from its resourceVersion, resume after an event, and get 410 for a stale one", async () => {
  const ns = namespace + "-watch";
  const list = await client.GET("/api/v1/namespaces/{namespace}/jobs", { params: { path: { namespace: ns } } });
  assert.equal(list.response.status, 200);
  const from = list.data!.resourceVersion!;
  assert.ok(from, "a list says where to watch from");

  const stop = new AbortController();
  const events = watch<JobWatchEvent>(url, process.env.SLUICE_TOKEN, `/api/v1/namespaces/${ns}/jobs`, {
    resourceVersion: from,
    signal: stop.signal,
  });
  await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace: ns } },
    body: { name: "watched", type: "ingestion", spec: { image: "ghcr.io/acme/ingest:1.0" } },
  });
  let added: JobWatchEvent | undefined;
  for await (const event of events) {
    if (event.type === "ADDED") { added = event; break; }
  }
  stop.abort();
  const job = added!.object as { name?: string; namespace?: string };
  assert.equal(job.name, "watched");
  assert.equal(job.namespace, ns);
  assert.ok(Number(added!.resourceVersion) > Number(from));

  // Resuming after that event sends only later changes: a second job, not the first again.
  const again = new AbortController();
  const resumed = watch<JobWatchEvent>(url, process.env.SLUICE_TOKEN, `/api/v1/namespaces/${ns}/jobs`, {
    resourceVersion: from,
    lastEventId: added!.resourceVersion,
    signal: again.signal,
  });
  await client.POST("/api/v1/namespaces/{namespace}/jobs", {
    params: { path: { namespace: ns } },
    body: { name: "watched-too", type: "ingestion", spec: { image: "ghcr.io/acme/ingest:1.0" } },
  });
  for await (const event of resumed) {
    if (event.type === "ADDED") {
      assert.equal((event.object as { name?: string }).name, "watched-too");
      break;
    }
  }
  again.abort();

  // A position this server never gave is 410 Gone, as a problem document.
  await assert.rejects(
    async () => {
      for await (const _ of watch(url, process.env.SLUICE_TOKEN, `/api/v1/namespaces/${ns}/jobs`, { resourceVersion: "999999999999" })) {
        break;
      }
    },
    (e: unknown) => e instanceof WatchError && e.status === 410 && e.problem.reason === "EXPIRED",
  );
});
