// Per-client metrics from audit logs: bounded cardinality (the busiest clients get their own label, the rest are
// "other"), counters that never go down, and latency histograms whose buckets are cumulative — with the batch
// aggregates computed by the same SQL the ingest runs, on real (in-memory) DuckDB.
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { ClientMetrics, latencyAggregateSql, LATENCY_BUCKETS, OTHER, requestAggregateSql, type LatencyAggregate, type RequestAggregate } from "./client-metrics";
import { plain } from "../store/sql";

let conn: Awaited<ReturnType<DuckDBInstance["connect"]>>;

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(":memory:")).connect();
});

interface Req {
  client: string;
  verb?: string;
  latency?: number;
  rv0?: boolean;
}

/** A batch of requests as a SQL relation, aggregated by the ingest's own SQL. */
async function aggregate(batch: Req[]): Promise<{ requests: RequestAggregate[]; latency: LatencyAggregate[] }> {
  const values = batch
    .map((r) => `(${[r.client, r.verb ?? "get", "pods", "2xx"].map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}, ${r.latency ?? 0.01}, ${r.rv0 ? "true" : "false"})`)
    .join(", ");
  const relation = `(SELECT * FROM (VALUES ${values}) t(client, verb, resource, code_class, latency, rv0))`;
  const run = async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => plain(r) as T);
  return {
    requests: await run<RequestAggregate>(requestAggregateSql(relation, "resource", "code_class", "rv0")),
    latency: await run<LatencyAggregate>(latencyAggregateSql(relation, "latency")),
  };
}

async function add(m: ClientMetrics, batch: Req[]): Promise<void> {
  const { requests, latency } = await aggregate(batch);
  m.add(requests, latency);
}

const many = (client: string, n: number, over: Partial<Req> = {}): Req[] => Array.from({ length: n }, () => ({ client, ...over }));

/** Request counts by client label, from the exposed families. */
function requestsByClient(m: ClientMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of m.families().find((f) => f.name === "apiscope_audit_requests_total")!.samples) out[s.labels.client!] = (out[s.labels.client!] ?? 0) + s.value;
  return out;
}

/** Every sample of every family, keyed by name, suffix and labels. */
function samples(m: ClientMetrics): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of m.families()) for (const s of f.samples) out.set(JSON.stringify([f.name, s.suffix ?? "", s.labels]), s.value);
  return out;
}

describe("per-client metrics", () => {
  it("labels the busiest clients and counts everyone else as other, losing no request", async () => {
    const m = new ClientMetrics(3);
    await add(m, [...many("kubelet", 50), ...many("telemetry-agent", 40), ...many("kube-proxy", 30), ...many("kubectl", 5), ...many("helm", 2)]);
    expect(requestsByClient(m)).toEqual({ kubelet: 50, "telemetry-agent": 40, "kube-proxy": 30, [OTHER]: 7 });
  });

  it("never takes a label back: a client that gets busy later stays in other once the labels are used", async () => {
    const m = new ClientMetrics(2);
    await add(m, [...many("a", 10), ...many("b", 5)]);
    await add(m, many("c", 1000));
    expect(requestsByClient(m)).toEqual({ a: 10, b: 5, [OTHER]: 1000 });
  });

  it("gives a label to a client that shows up while labels are free", async () => {
    const m = new ClientMetrics(2);
    await add(m, many("a", 3));
    await add(m, many("b", 4));
    await add(m, many("c", 9));
    await add(m, many("b", 1));
    expect(requestsByClient(m)).toEqual({ a: 3, b: 5, [OTHER]: 9 });
  });

  it("keeps hostile client names as label values, verbatim", async () => {
    const hostile = ['evil"} 1\nfake{a="b', "C:\\agent\\", "it's"];
    const m = new ClientMetrics(5);
    await add(m, hostile.flatMap((c, i) => many(c, i + 1)));
    expect(requestsByClient(m)).toEqual({ [hostile[0]!]: 1, [hostile[1]!]: 2, [hostile[2]!]: 3 });
  });

  it("never lets a counter go down or a series disappear, and stays within maxClients + other (seeded)", async () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const m = new ClientMetrics(5);
    let before = samples(m);
    let total = 0;
    for (let round = 0; round < 25; round++) {
      const batch = Array.from({ length: 1 + Math.floor(random() * 60) }, () => ({
        client: `client-${Math.floor(random() ** 2 * 40)}`,
        verb: random() < 0.5 ? "list" : "get",
        latency: random() * 20,
        rv0: random() < 0.3,
      }));
      total += batch.length;
      await add(m, batch);
      const after = samples(m);
      for (const [key, value] of before) expect(after.get(key), key).toBeGreaterThanOrEqual(value);
      before = after;
      const clients = new Set(Object.keys(requestsByClient(m)));
      expect(clients.size).toBeLessThanOrEqual(5 + 1);
    }
    expect(Object.values(requestsByClient(m)).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("counts LISTs without resourceVersion=0 per client", async () => {
    const m = new ClientMetrics(5);
    await add(m, [...many("agent", 7, { verb: "list" }), ...many("agent", 2, { verb: "list", rv0: true }), ...many("agent", 4, { verb: "get" })]);
    const f = m.families().find((x) => x.name === "apiscope_audit_lists_without_rv0_total")!;
    expect(f.samples).toEqual([{ labels: { client: "agent", resource: "pods" }, value: 7 }]);
  });

  it("keeps its memory bounded when a hostile log names tens of thousands of clients", async () => {
    const m = new ClientMetrics(10);
    for (let b = 0; b < 3; b++) m.add(Array.from({ length: 12_000 }, (_, i) => ({ client: `ua-${b}-${i}`, verb: "get", resource: "pods", code_class: "2xx", requests: 1, lists_without_rv0: 0 })), []);
    const byClient = requestsByClient(m);
    expect(Object.keys(byClient).length).toBeLessThanOrEqual(11);
    expect(Object.values(byClient).reduce((a, b) => a + b, 0)).toBe(36_000);
  });
});

describe("per-client latency histograms", () => {
  const latencies = [0.001, 0.005, 0.02, 0.2, 0.2, 0.9, 1, 3.5, 12, 59, 61, 400];

  it("has cumulative buckets: each counts the requests at or below its bound, +Inf counts them all", async () => {
    const m = new ClientMetrics(5);
    await add(m, latencies.slice(0, 5).map((latency) => ({ client: "kubelet", latency })));
    await add(m, latencies.slice(5).map((latency) => ({ client: "kubelet", latency })));
    const h = m.families().find((f) => f.name === "apiscope_audit_request_duration_seconds")!.samples;
    const buckets = h.filter((s) => s.suffix === "_bucket");
    expect(buckets.map((s) => s.labels.le)).toEqual([...LATENCY_BUCKETS.map(String), "+Inf"]);
    for (const [i, le] of LATENCY_BUCKETS.entries()) expect(buckets[i]!.value, `le=${le}`).toBe(latencies.filter((l) => l <= le).length);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(buckets.at(-1)!.value).toBe(latencies.length);
    expect(h.find((s) => s.suffix === "_count")!.value).toBe(latencies.length);
    expect(h.find((s) => s.suffix === "_sum")!.value).toBeCloseTo(latencies.reduce((a, b) => a + b, 0), 9);
  });

  it("merges the histograms of unlabelled clients into other", async () => {
    const m = new ClientMetrics(1);
    await add(m, [...many("kubelet", 5, { latency: 0.01 }), { client: "a", latency: 2 }, { client: "b", latency: 70 }]);
    const count = (client: string) =>
      m.families().find((f) => f.name === "apiscope_audit_request_duration_seconds")!.samples.find((s) => s.suffix === "_count" && s.labels.client === client)?.value;
    expect([count("kubelet"), count(OTHER)]).toEqual([5, 2]);
  });
});
