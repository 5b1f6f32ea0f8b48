// The schema adapter against real kube-apiserver /metrics dumps of five Kubernetes versions, each scraped
// live by a real Prometheus: every overview panel a version supports shows data, the others say why not; none has
// admission webhooks, which the webhook view says; the APF status reads each version's seats, or says APF is missing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APF_PANELS } from "@/lib/apf/panels";
import { apfStatus } from "@/lib/apf/status";
import { NO_APF_METRICS } from "@/lib/panels/panel-def";
import { createPrometheusClient } from "@/lib/prometheus/client";
import { createGateway, type Gateway } from "@/lib/prometheus/gateway";
import { discoverSchema } from "@/lib/prometheus/discover";
import { OVERVIEW_PANELS, findPanel } from "@/lib/registry/panels";
import { runPanel } from "@/lib/panels/run-panel";
import type { PanelData } from "@/lib/panels/types";
import { startDumpServer, type DumpServer } from "@/scripts/lib/dump-server";
import { freePort, waitFor } from "@/scripts/lib/ports";
import { startPrometheus, type RunningPrometheus } from "@/scripts/lib/prometheus";
import { NO_WEBHOOK_METRICS } from "@/lib/webhooks/coverage";
import { webhookSummary } from "@/lib/webhooks/summary";
import { testConfig } from "../support/config";

const VERSIONS = ["1_17", "1_22", "1_27", "1_31", "1_34"] as const;
const FIXTURES = path.resolve(__dirname, "../fixtures/nri-kubernetes");

let dumps: DumpServer;
let prom: RunningPrometheus;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "apiscope-dumps-"));
  const port = await freePort();
  dumps = await startDumpServer(Object.fromEntries(VERSIONS.map((v) => [v, path.join(FIXTURES, `${v}.metrics.gz`)])), port);
  prom = await startPrometheus({
    dir,
    scrapeJobs: VERSIONS.map((v) => ({ job: `apiserver-${v}`, targets: [`127.0.0.1:${port}`], metricsPath: `/metrics/${v}`, intervalSeconds: 1 })),
  });
  // Rates need a few scrapes of every target.
  await waitFor(async () => {
    const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent("min(count_over_time(up[1m]))")}`);
    const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
    return Number(body.data.result[0]?.value[1] ?? 0) >= 6;
  }, "six scrapes of every dump", 60_000);
});

afterAll(async () => {
  await prom?.stop();
  await dumps?.close();
  rmSync(dir, { recursive: true, force: true });
});

function setup(version: string): { gateway: Gateway; config: ReturnType<typeof testConfig> } {
  const config = testConfig(prom.url, { APISCOPE_APISERVER_SELECTOR: `job="apiserver-${version}"`, APISCOPE_SCRAPE_INTERVAL: "1s" });
  return { config, gateway: createGateway(createPrometheusClient(config.prometheus), { ttlMs: 1000 }) };
}

async function panel(version: string, id: string): Promise<PanelData> {
  const { gateway, config } = setup(version);
  const def = findPanel(id)!;
  return runPanel(
    def,
    { range: { from: { kind: "now", offsetSeconds: 60 }, to: { kind: "now", offsetSeconds: 0 } }, widthPx: 600, cluster: "", instance: "" },
    { gateway, config, nowMs: Date.now() },
  );
}

function hasData(data: PanelData): boolean {
  if (data.status !== "ok") return false;
  if (data.kind === "bar") return data.bars.length > 0;
  if (data.kind === "heatmap") return data.times.length > 0;
  return data.series.some((s) => s.role !== "limit" && s.points.some(([, v]) => v !== null));
}

describe("schema adapter on real dumps", () => {
  it("detects each version's metric and label names", async () => {
    const schemas = Object.fromEntries(
      await Promise.all(
        VERSIONS.map(async (v) => {
          const { gateway, config } = setup(v);
          const now = Math.floor(Date.now() / 1000);
          return [v, await discoverSchema(gateway, config.apiserverSelector, now - 300, now)] as const;
        }),
      ),
    );
    expect(schemas["1_17"]!.requestKindLabel).toBe("requestKind");
    expect(schemas["1_22"]!.requestKindLabel).toBe("request_kind");
    expect(schemas["1_17"]!.apfLimitMetric).toBeNull();
    expect(schemas["1_22"]!.apfLimitMetric).toBe("apiserver_flowcontrol_request_concurrency_limit");
    expect(schemas["1_27"]!.apfLimitMetric).toBe("apiserver_flowcontrol_nominal_limit_seats");
    expect(schemas["1_17"]!.objectCount?.metric).toBe("etcd_object_counts");
    expect(schemas["1_22"]!.objectCount?.metric).toBe("apiserver_storage_objects");
    expect(schemas["1_34"]!.objectCount?.metric).toBe("apiserver_resource_objects");
    expect(schemas["1_31"]!.etcdResourceLabels).toBe("type");
    expect(schemas["1_34"]!.etcdResourceLabels).toBe("group_resource");
    expect(schemas["1_22"]!.longRunningMetric).toBe("apiserver_longrunning_gauge");
    expect(schemas["1_27"]!.longRunningMetric).toBe("apiserver_longrunning_requests");
  });

  // What each version supports: every other panel must show data.
  const notCovered: Record<string, string[]> = { "1_17": ["apf-rejections", "apf-queue-wait", "apf-utilisation"] };
  // Empty by nature in these low-traffic dumps: nothing was ever rejected by APF.
  const emptyByNature = ["apf-rejections"];

  for (const version of VERSIONS) {
    it(`Kubernetes ${version.replace("_", ".")}: supported panels show data, the others a coverage notice`, async () => {
      for (const def of OVERVIEW_PANELS) {
        const data = await panel(version, def.id);
        if (notCovered[version]?.includes(def.id)) {
          expect(data, def.id).toMatchObject({ status: "not-covered" });
          expect((data as { message: string }).message).toMatch(/no APF metrics — APF needs Kubernetes ≥ 1.20/);
        } else if (emptyByNature.includes(def.id)) {
          expect(data, def.id).toMatchObject({ status: "ok", emptyMessage: "No request was rejected by APF in this window" });
        } else {
          expect(hasData(data), `${version} ${def.id}: ${JSON.stringify(data).slice(0, 300)}`).toBe(true);
        }
      }
    });
  }

  it("every version without admission webhooks gets the webhook coverage notice", async () => {
    for (const version of VERSIONS) {
      const { gateway, config } = setup(version);
      const summary = await webhookSummary(
        { range: { from: { kind: "now", offsetSeconds: 60 }, to: { kind: "now", offsetSeconds: 0 } }, widthPx: 600, cluster: "", instance: "" },
        { gateway, config, nowMs: Date.now() },
      );
      expect(summary, version).toEqual({ status: "not-covered", message: NO_WEBHOOK_METRICS });
    }
  });

  // The seats each dump reports per priority level, read from the dump itself.
  const seatsInDump = (version: string, metric: string) => {
    const text = gunzipSync(readFileSync(path.join(FIXTURES, `${version}.metrics.gz`))).toString("utf8");
    const re = new RegExp(`^${metric}\\{priority_level="([^"]+)"\\} (\\S+)$`, "gm");
    return new Map([...text.matchAll(re)].map((m) => [m[1]!, Number(m[2])]));
  };
  const LIMIT_METRIC: Record<string, string> = {
    "1_22": "apiserver_flowcontrol_request_concurrency_limit",
    "1_27": "apiserver_flowcontrol_nominal_limit_seats",
    "1_31": "apiserver_flowcontrol_nominal_limit_seats",
    "1_34": "apiserver_flowcontrol_nominal_limit_seats",
  };

  it("APF status: not covered on 1.17, each later version's nominal seats from its own limit metric", async () => {
    for (const version of VERSIONS) {
      const { gateway, config } = setup(version);
      const lastMinute = { from: { kind: "now", offsetSeconds: 60 }, to: { kind: "now", offsetSeconds: 0 } } as const;
      const s = await apfStatus({ range: lastMinute, widthPx: 600, cluster: "", instance: "" }, { gateway, config, nowMs: Date.now() });
      if (version === "1_17") {
        expect(s, version).toEqual({ status: "not-covered", message: NO_APF_METRICS });
        expect(NO_APF_METRICS).toMatch(/no APF metrics — APF needs Kubernetes ≥ 1.20/);
        continue;
      }
      if (s.status !== "ok") throw new Error(`${version}: ${JSON.stringify(s)}`);
      const metric = LIMIT_METRIC[version]!;
      expect(s.limitMetric, version).toBe(metric);
      const seats = seatsInDump(version, metric);
      expect(seats.size, version).toBeGreaterThan(5);
      for (const [level, n] of seats) expect(s.levels.find((l) => l.name === level)?.nominalSeats, `${version} ${level}`).toBe(n);
      const sum = [...seats.values()].reduce((a, b) => a + b, 0);
      expect(s.serverLimit, version).toMatchObject({ seats: sum, source: "metrics" });
      const seatsGauge = version === "1_31" || version === "1_34"; // executing seats since 1.28
      expect(s.inUseMetric, version).toBe(`apiserver_flowcontrol_current_executing_${seatsGauge ? "seats" : "requests"}`);
      expect(s.levels.some((l) => l.peakInUse !== null && l.dispatchedPerSecond > 0), version).toBe(true);
      // Nothing was ever rejected in these dumps, so no level is rejecting.
      expect(s.levels.filter((l) => l.state === "rejecting"), version).toEqual([]);
    }
  });

  it("APF panels: a coverage notice on 1.17, data on every later version", async () => {
    const rejections = ["apf-rejections", "apf-flow-schema-rejected"];
    for (const version of VERSIONS) {
      for (const def of APF_PANELS) {
        const data = await panel(version, def.id);
        if (version === "1_17") {
          expect(data, `${version} ${def.id}`).toEqual({ status: "not-covered", message: NO_APF_METRICS });
        } else if (rejections.includes(def.id)) {
          const none = "No request was rejected by APF in this window";
          expect(data, `${version} ${def.id}`).toMatchObject({ status: "ok", emptyMessage: none });
        } else {
          expect(hasData(data), `${version} ${def.id}: ${JSON.stringify(data).slice(0, 300)}`).toBe(true);
        }
      }
    }
  });
});
