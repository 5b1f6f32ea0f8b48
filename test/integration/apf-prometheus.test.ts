// The APF status against the incident scenario in a real Prometheus: the priority level serving the telemetry agent
// rejects during the incident and comes first, nominal seats are the ones the scenario configured, flow schemas
// dispatched what the scenario's own counters say; and a Prometheus without APF metrics gets the coverage notice.
// Apart from the scenario: a rejected series that first appears in the window still counts its first rejections.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_FLOW_SCHEMAS } from "@/lib/apf/bootstrap";
import { matchFlowSchema } from "@/lib/apf/match";
import { APF_PANELS } from "@/lib/apf/panels";
import { apfStatus } from "@/lib/apf/status";
import type { ApfStatusOk } from "@/lib/apf/status-types";
import { NO_APF_METRICS } from "@/lib/panels/panel-def";
import { runPanel } from "@/lib/panels/run-panel";
import { createPrometheusClient } from "@/lib/prometheus/client";
import { createGateway } from "@/lib/prometheus/gateway";
import { FLOW_SCHEMA_LEVEL, type FlowSchemaName } from "@/scenario/cluster";
import { parseLabels } from "@/scenario/testing/openmetrics-reader";
import { absoluteRange } from "@/lib/time-range";
import { backfill, startPrometheus, type RunningPrometheus } from "@/scripts/lib/prometheus";
import { alignedNow, scenarioAppEnv, type ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { testConfig } from "../support/config";
import { startSmallScenario } from "../support/scenario";

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("apf"));
}, 120_000);

afterAll(() => stop?.());

const deps = (env: Record<string, string> = scenarioAppEnv(run.prometheus.url)) => {
  const config = testConfig(run.prometheus.url, env);
  return { config, gateway: createGateway(createPrometheusClient(config.prometheus), { ttlMs: 0 }), nowMs: Date.now() };
};

const request = (fromS: number, toS: number) => ({
  range: absoluteRange(fromS * 1000, toS * 1000),
  widthPx: 1000,
  cluster: "",
  instance: "",
});

async function statusOf(fromS: number, toS: number): Promise<ApfStatusOk> {
  const s = await apfStatus(request(fromS, toS), deps());
  if (s.status !== "ok") throw new Error(JSON.stringify(s));
  return s;
}

/** The telemetry agent's flow schema and level, as APF's default configuration classifies its cluster-wide LIST. */
function agentFlow(): { flowSchema: string; level: string } {
  const { culprit } = run.files.summary;
  const list = { user: culprit.username, groups: [], verb: "list", apiGroup: "", resource: "pods", namespace: null };
  const schema = matchFlowSchema(BOOTSTRAP_FLOW_SCHEMAS, list);
  if (!schema) throw new Error("no flow schema matches the telemetry agent");
  return { flowSchema: schema.name, level: schema.priorityLevel };
}

/** Per flow schema, what its dispatched counters rose by over the whole scenario, read from the generated file. */
function dispatchedInScenario(): Map<string, number> {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const name = "apiserver_flowcontrol_dispatched_requests_total";
  for (const line of readFileSync(run.files.metricsPath, "utf8").split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf("}");
    const key = line.slice(name.length + 1, close);
    const value = Number(line.slice(close + 2).split(" ")[0]);
    if (!first.has(key)) first.set(key, value);
    last.set(key, value);
  }
  const totals = new Map<string, number>();
  for (const [key, end] of last) {
    const flow = parseLabels(key).flow_schema!;
    totals.set(flow, (totals.get(flow) ?? 0) + end - first.get(key)!);
  }
  return totals;
}

describe("APF status", () => {
  it("puts the telemetry agent's priority level first, rejecting, during the incident", async () => {
    const { incident, window } = run.files.summary;
    const agent = agentFlow();
    expect(FLOW_SCHEMA_LEVEL[agent.flowSchema as FlowSchemaName]).toBe(agent.level); // the scenario binds it the same way
    const s = await statusOf(incident.rolloutEndUnixSeconds, window.endUnixSeconds);
    const [first] = s.levels;
    expect(first!.name).toBe(agent.level);
    expect(first!.state).toBe("rejecting");
    expect(first!.rejectedPerSecond).toBeGreaterThan(0);
    expect(first!.rejectedByReason.map((r) => r.reason)).toContain("time-out");
    expect(first!.reasons[0]).toMatch(/^rejected /);
    expect(s.flowSchemas[0]).toMatchObject({ name: agent.flowSchema, priorityLevel: agent.level });
    expect(s.flowSchemas[0]!.rejected).toBeGreaterThan(0);
    expect(s.inUseMetric).toBe("apiserver_flowcontrol_current_executing_seats");
    expect(s.missing).toEqual([]);
  });

  it("does not call the level rejecting before the incident", async () => {
    const { incident, window } = run.files.summary;
    const s = await statusOf(window.startUnixSeconds, incident.startUnixSeconds - 60);
    const level = s.levels.find((l) => l.name === agentFlow().level)!;
    expect(level.rejected).toBe(0);
    expect(level.state).not.toBe("rejecting");
    expect(s.levels.every((l) => l.state !== "rejecting")).toBe(true);
  });

  it("gives the nominal seats the scenario configured, per API server (the busiest one), and the server limit from them", async () => {
    const { window, capacity, apiserverInstances, story } = run.files.summary;
    const s = await statusOf(window.startUnixSeconds, window.endUnixSeconds);
    for (const [name, seats] of Object.entries(capacity.nominalSeats)) {
      const level = s.levels.find((l) => l.name === name)!;
      expect(level, name).toBeDefined();
      expect(level.servers.map((x) => [x.server, x.nominalSeats]), name).toEqual(apiserverInstances.map((i) => [i, seats]));
      expect(level.nominalSeats, name).toBe(seats);
    }
    const perServer = Object.values(capacity.nominalSeats).reduce((a, b) => a + b, 0);
    expect(s.serverLimit).toMatchObject({ seats: perServer, source: "metrics" });
    // Rounding each level up overshoots the configured limit by less than a seat per level.
    const configured = capacity.maxRequestsInflight + capacity.maxMutatingRequestsInflight;
    expect(perServer).toBeGreaterThanOrEqual(configured);
    expect(perServer).toBeLessThan(configured + Object.keys(capacity.nominalSeats).length);
    // The peak comes from the same per-server sum of seats the scenario's summary takes.
    expect(s.levels.find((l) => l.name === "workload-low")!.peakInUse).toBe(story.peakWorkloadLowExecutingSeats);
  });

  it("counts what each flow schema dispatched as the scenario's counters do", async () => {
    const { window } = run.files.summary;
    const s = await statusOf(window.startUnixSeconds, window.endUnixSeconds);
    const expected = dispatchedInScenario();
    expect(expected.size).toBeGreaterThan(3);
    const got = new Map<string, number>();
    for (const f of s.flowSchemas) got.set(f.name, (got.get(f.name) ?? 0) + f.dispatched);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [flow, n] of expected) {
      // increase() extrapolates to the window's edges; the scenario's samples sit on them, so this is close to exact.
      expect(got.get(flow)!, flow).toBeGreaterThan(n * 0.99 - 1);
      expect(got.get(flow)!, flow).toBeLessThan(n * 1.01 + 1);
    }
    const level = s.levels.find((l) => l.name === "workload-low")!;
    expect(level.dispatchedPerSecond).toBeCloseTo(level.dispatched / s.windowSeconds, 9);
  });

  it("says there are no APF metrics rather than showing nothing", async () => {
    const { window } = run.files.summary;
    const elsewhere = deps({ ...scenarioAppEnv(run.prometheus.url), APISCOPE_APISERVER_SELECTOR: 'job="no-such-job"' });
    const s = await apfStatus(request(window.startUnixSeconds, window.endUnixSeconds), elsewhere);
    expect(s).toEqual({ status: "not-covered", message: NO_APF_METRICS });
  });

  it("draws every APF panel for the incident", async () => {
    const { incident, window } = run.files.summary;
    for (const def of APF_PANELS) {
      const data = await runPanel(def, request(incident.startUnixSeconds, window.endUnixSeconds), deps());
      if (data.status !== "ok" || data.kind !== "timeseries") throw new Error(`${def.id}: ${JSON.stringify(data).slice(0, 300)}`);
      expect(data.series.some((x) => x.points.some(([, v]) => v !== null && v > 0)), def.id).toBe(true);
    }
  });
});

describe("APF status on a rejected counter born in the window", () => {
  let bornDir: string;
  let born: { prometheus: RunningPrometheus; start: number; end: number };

  beforeAll(async () => {
    bornDir = mkdtempSync(path.join(tmpdir(), "apiscope-apf-born-"));
    const end = alignedNow(30) - 600;
    const start = end - 1800;
    const flow = 'job="apiserver",flow_schema="service-accounts",priority_level="workload-low"';
    const dispatched: string[] = [];
    const rejected: string[] = [];
    for (let t = start, k = 0; t <= end; t += 30, k++) {
      for (const instance of ["10.0.0.1:6443", "10.0.0.2:6443"]) {
        dispatched.push(`apiserver_flowcontrol_dispatched_requests_total{${flow},instance="${instance}"} ${k * 10} ${t}`);
      }
      // One API server rejects 7 requests within one scrape, its first since it started, and no more: a new series.
      if (t >= start + 1200) {
        rejected.push(`apiserver_flowcontrol_rejected_requests_total{${flow},instance="10.0.0.1:6443",reason="queue-full"} 7 ${t}`);
      }
      // The other one has been rejecting one request per scrape since before the window.
      rejected.push(`apiserver_flowcontrol_rejected_requests_total{${flow},instance="10.0.0.2:6443",reason="time-out"} ${k + 100} ${t}`);
    }
    const file = path.join(bornDir, "born.om");
    const text = [
      "# TYPE apiserver_flowcontrol_dispatched_requests counter",
      ...dispatched,
      "# TYPE apiserver_flowcontrol_rejected_requests counter",
      ...rejected,
      "# EOF",
    ];
    writeFileSync(file, `${text.join("\n")}\n`);
    backfill(file, path.join(bornDir, "tsdb"));
    const prometheus = await startPrometheus({ dir: path.join(bornDir, "prometheus"), tsdbDir: path.join(bornDir, "tsdb") });
    born = { prometheus, start, end };
  }, 60_000);

  afterAll(async () => {
    await born?.prometheus.stop();
    if (bornDir) rmSync(bornDir, { recursive: true, force: true });
  });

  it("counts the first value of the new series, which increase() alone misses", async () => {
    const config = testConfig(born.prometheus.url, scenarioAppEnv(born.prometheus.url));
    const gateway = createGateway(createPrometheusClient(config.prometheus), { ttlMs: 0 });
    const s = await apfStatus(request(born.start, born.end), { config, gateway, nowMs: Date.now() });
    if (s.status !== "ok") throw new Error(JSON.stringify(s));
    const level = s.levels.find((l) => l.name === "workload-low")!;
    expect(level.state).toBe("rejecting");
    expect(level.rejectedByReason.map((r) => [r.reason, r.count])).toEqual([
      ["time-out", 60],
      ["queue-full", 7],
    ]);
  });
});
