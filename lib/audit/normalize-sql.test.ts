// The SQL normalisation, run on real (in-memory) DuckDB over hand-written events.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { duckdbColumns } from "./fields";
import { MACROS_SQL, normalizeSelect } from "./normalize-sql";
import { plain } from "../store/sql";

const NOW = Date.UTC(2024, 11, 11, 16, 0, 0);
let conn: Awaited<ReturnType<DuckDBInstance["connect"]>>;
const dir = mkdtempSync(path.join(tmpdir(), "apiscope-norm-"));
let seq = 0;

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
  await conn.run(MACROS_SQL);
});

function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "audit.k8s.io/v1",
    auditID: `id-${seq++}`,
    stage: "ResponseComplete",
    requestURI: "/api/v1/pods",
    verb: "list",
    user: { username: "system:serviceaccount:telemetry:agent", groups: ["system:serviceaccounts", "system:authenticated"] },
    sourceIPs: ["10.64.0.7", "10.0.0.1"],
    userAgent: "telemetry-agent/v0.9.0 (linux/amd64) telemetry-agent/3f2a9c1",
    objectRef: { resource: "pods", apiVersion: "v1" },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: "2024-12-11T15:04:05.000000Z",
    stageTimestamp: "2024-12-11T15:04:06.500000Z",
    ...over,
  };
}

async function normalize(events: Record<string, unknown>[], robust = false, retentionSeconds: number | null = 7 * 86400): Promise<Record<string, unknown>[]> {
  const file = path.join(dir, `e${seq++}.jsonl`);
  writeFileSync(file, events.map((e, i) => JSON.stringify(robust ? { ...e, __line: i + 1 } : e)).join("\n"));
  const rel = `read_json('${file}', format = 'newline_delimited', columns = ${duckdbColumns(robust ? { __line: "BIGINT" } : {})})`;
  const reader = await conn.runAndReadAll(normalizeSelect(rel, { nowMs: NOW, retentionSeconds, robust }));
  return reader.getRowObjectsJS().map((r) => plain(r) as Record<string, unknown>);
}

describe("normalising audit events", () => {
  it("maps an event to one stored row", async () => {
    const [row] = await normalize([event()]);
    expect(row).toMatchObject({
      stage: "ResponseComplete",
      ts: Date.UTC(2024, 11, 11, 15, 4, 6, 500),
      received_at: Date.UTC(2024, 11, 11, 15, 4, 5),
      verb: "list",
      client: "telemetry-agent",
      username: "system:serviceaccount:telemetry:agent",
      groups: ["system:serviceaccounts", "system:authenticated"],
      source_ip: "10.64.0.7",
      api_group: "",
      api_version: "v1",
      resource: "pods",
      subresource: null,
      namespace: null,
      name: null,
      code: 200,
      request_uri: "/api/v1/pods",
      annotations: null,
      reason: null,
    });
  });

  it("names the client from the user agent, keeping client-go's controller suffix", async () => {
    const cases: Array<[string | undefined, string]> = [
      ["kubelet/v1.29.1 (linux/amd64) kubernetes/4fe4c7c", "kubelet"],
      ["kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/replicaset-controller", "kube-controller-manager/replicaset-controller"],
      // --use-service-account-credentials: client-go appends the controller's service account; the name is the controller.
      ["kube-controller-manager/v1.31.0 (linux/amd64) kubernetes/abc1234/system:serviceaccount:kube-system:replicaset-controller", "kube-controller-manager/replicaset-controller"],
      ["hyperkube/v1.15.10 (linux/amd64) kubernetes/059c666/system:serviceaccount:kube-system:resourcequota-controller", "hyperkube/resourcequota-controller"],
      ["cloud-controller-manager/v1.31.0 (linux/amd64) kubernetes/abc1234/system:serviceaccount:kube-system:service-controller", "cloud-controller-manager/service-controller"],
      ["aws-cloud-controller-manager/v0.0.0 (linux/arm64) kubernetes/$Format/system:serviceaccount:kube-system:cloud-node-controller", "aws-cloud-controller-manager/cloud-node-controller"],
      ["kube-controller-manager/v1.17.3 (linux/amd64) kubernetes/06ad960/tokens-controller", "kube-controller-manager/tokens-controller"],
      ["kube-scheduler/v1.31.0 (linux/amd64) kubernetes/abc1234/scheduler", "kube-scheduler/scheduler"],
      ["kube-scheduler/v1.31.0 (linux/amd64) kubernetes/abc1234/leader-election", "kube-scheduler/leader-election"],
      ["kubectl/v1.31.0 (linux/amd64) kubernetes/abc1234", "kubectl"],
      ["kubectl/v1.31.0 (darwin/arm64) kubernetes/abc1234/kubectl-neat", "kubectl/kubectl-neat"],
      // A suffix that is not a service account keeps its colons.
      ["my-operator/v2.0.0 (linux/amd64) kubernetes/abc1234/team:payments", "my-operator/team:payments"],
      ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Mozilla"],
      ["Go-http-client/2.0", "Go-http-client"],
      ["elastic-agent/v0.0.0 (linux/amd64) kubernetes/$Format", "elastic-agent"],
      ["approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election", "approver/leader-election"],
      ["kubectl/v1.26.1", "kubectl"],
      ["Helm/3.16.3", "Helm"],
      ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "Mozilla"],
      ["", "(none)"],
      [undefined, "(none)"],
      ["<img src=x onerror=alert(1)>", "<img"],
      ["x".repeat(10_000), "x".repeat(200)],
    ];
    const rows = await normalize(cases.map(([ua]) => event(ua === undefined ? { userAgent: undefined } : { userAgent: ua })));
    expect(rows.map((r) => r.client)).toEqual(cases.map(([, client]) => client));
  });

  it("keeps annotations only when they carry latency or admission-webhook information", async () => {
    const latency = { "apiserver.latency.k8s.io/etcd": "1.2s", "apiserver.latency.k8s.io/total": "1m0.003963671s" };
    const webhook = { "mutation.webhook.admission.k8s.io/round_0_index_0": '{"configuration":"inj","webhook":"inj.example.com","mutated":true}' };
    const rows = await normalize([
      event({ annotations: { "authorization.k8s.io/decision": "allow" } }),
      event({ annotations: latency }),
      event({ annotations: webhook }),
    ]);
    expect(rows.map((r) => (r.annotations === null ? null : JSON.parse(r.annotations as string)))).toEqual([null, latency, webhook]);
  });

  it("marks what must be skipped, with details on the robust path", async () => {
    const rows = await normalize(
      [
        event({ auditID: "" }),
        event({ apiVersion: "audit.k8s.io/v2" }),
        event({ stage: "Done" }),
        event({ verb: undefined }),
        event({ stageTimestamp: undefined }),
        event({ stageTimestamp: "yesterday" }),
        event({ stageTimestamp: "2024-12-11T18:00:00Z" }),
        event({ stageTimestamp: "2024-11-01T00:00:00Z" }),
        event({ apiVersion: undefined }),
        event({ apiVersion: "audit.k8s.io/v1beta1", stageTimestamp: undefined, timestamp: "2024-12-11T15:00:00Z" }),
      ],
      true,
    );
    expect(rows.map((r) => [r.reason, r.detail, r.line])).toEqual([
      ["missing_field", "auditID", 1],
      ["unknown_api_version", "audit.k8s.io/v2", 2],
      ["unknown_stage", "Done", 3],
      ["missing_field", "verb", 4],
      ["missing_field", "stageTimestamp", 5],
      ["bad_timestamp", "yesterday", 6],
      ["in_future", "2024-12-11T18:00:00Z", 7],
      ["older_than_retention", "2024-11-01T00:00:00Z", 8],
      [null, "2024-12-11T15:04:06.500000Z", 9],
      [null, "2024-12-11T15:00:00Z", 10],
    ]);
  });

  it("keeps events of any age without a retention (uploads), still refusing the future", async () => {
    const rows = await normalize(
      [event({ stageTimestamp: "2018-04-21T17:32:29.942468Z" }), event({ stageTimestamp: "2024-11-01T00:00:00Z" }), event({ stageTimestamp: "2024-12-11T18:00:00Z" })],
      true,
      null,
    );
    expect(rows.map((r) => r.reason)).toEqual([null, null, "in_future"]);
  });

  it("parses Go durations from latency annotations", async () => {
    const r = await conn.runAndReadAll(
      `SELECT ${["1m0.003963671s", "28.677µs", "812.5ms", "4.730661757s", "415ns", "1h2m3.5s", "1.138415ms"].map((d) => `go_duration_s('${d}')`).join(", ")}, go_duration_s(NULL), go_duration_s('')`,
    );
    const values = r.getRows()[0]!.map((v) => (v === null ? null : Number(v)));
    const expected = [60.003963671, 28.677e-6, 0.8125, 4.730661757, 415e-9, 3723.5, 0.001138415];
    expected.forEach((e, i) => expect(values[i]).toBeCloseTo(e, 12));
    expect(values.slice(-2)).toEqual([null, null]);
  });
});
