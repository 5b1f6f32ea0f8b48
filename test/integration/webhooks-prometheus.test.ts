// The admission-webhook summary against the incident scenario in a real Prometheus: the slow validating webhook
// comes first with the p99 the scenario's own histogram gives, the healthy mutating one after it; and Prometheus
// without webhook metrics gets the coverage notice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrometheusClient } from "@/lib/prometheus/client";
import { createGateway } from "@/lib/prometheus/gateway";
import { absoluteRange } from "@/lib/time-range";
import { findPanel } from "@/lib/registry/panels";
import { runPanel } from "@/lib/panels/run-panel";
import { NO_WEBHOOK_METRICS } from "@/lib/webhooks/coverage";
import { webhookSummary } from "@/lib/webhooks/summary";
import { scenarioAppEnv, type ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { testConfig } from "../support/config";
import { startSmallScenario } from "../support/scenario";

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("webhooks"));
}, 120_000);

afterAll(() => stop?.());

function summaryOf(prometheusUrl: string, fromS: number, toS: number, env: Record<string, string> = scenarioAppEnv(run.prometheus.url)) {
  const config = testConfig(prometheusUrl, env);
  const gateway = createGateway(createPrometheusClient(config.prometheus), { ttlMs: 0 });
  return webhookSummary({ range: absoluteRange(fromS * 1000, toS * 1000), widthPx: 1000, cluster: "", instance: "" }, { gateway, config, nowMs: Date.now() });
}

describe("admission webhook summary", () => {
  it("puts the slow validating webhook first, with the p99 of the scenario's histogram", async () => {
    const { window, webhooks } = run.files.summary;
    const s = await summaryOf(run.prometheus.url, window.startUnixSeconds, window.endUnixSeconds);
    if (s.status !== "ok") throw new Error(JSON.stringify(s));
    expect(s.webhooks.map((w) => [w.name, w.type])).toEqual([
      [webhooks.slow.name, "validating"],
      [webhooks.healthy.name, "mutating"],
    ]);
    const [slow, healthy] = s.webhooks;
    expect(slow!.p99).toBeGreaterThan(healthy!.p99!);
    expect(slow!.calls).toBeGreaterThan(0);
    expect(slow!.callsPerSecond).toBeCloseTo(slow!.calls / s.windowSeconds, 9);
    expect(slow!.shareOfAdmission).toBeGreaterThan(healthy!.shareOfAdmission!);
    expect(slow!.p50!).toBeLessThanOrEqual(slow!.p90!);
    expect(slow!.p90!).toBeLessThanOrEqual(slow!.p99!);
    expect(s.admission.shareOfMutatingLatency).toBeGreaterThan(0);
    expect(s.admission.stepP99.map((x) => x.type).sort()).toEqual(["admit", "validate"]);
  });

  it("gives the incident's p99 of the slow webhook as the scenario's histogram does", async () => {
    const { window, incident, webhooks } = run.files.summary;
    const s = await summaryOf(run.prometheus.url, incident.rolloutEndUnixSeconds, window.endUnixSeconds);
    if (s.status !== "ok") throw new Error(JSON.stringify(s));
    const slow = s.webhooks.find((w) => w.name === webhooks.slow.name)!;
    // Same buckets, same interpolation; the window's edges may differ by a scrape.
    expect(slow.p99!).toBeGreaterThan(webhooks.slow.incidentHistogramP99Seconds * 0.9);
    expect(slow.p99!).toBeLessThan(webhooks.slow.incidentHistogramP99Seconds * 1.1);
    if (webhooks.slow.timeouts > 0) expect(slow.slowerThan10s).toBeGreaterThan(0);
  });

  it("says there are no webhook metrics rather than showing nothing", async () => {
    const { window } = run.files.summary;
    const s = await summaryOf(run.prometheus.url, window.startUnixSeconds, window.endUnixSeconds, { ...scenarioAppEnv(run.prometheus.url), APISCOPE_APISERVER_SELECTOR: 'job="no-such-job"' });
    expect(s).toEqual({ status: "not-covered", message: NO_WEBHOOK_METRICS });
  });

  it("draws the slow webhook's heatmap from its bucket counters, counting the same calls", async () => {
    const { window, webhooks } = run.files.summary;
    const config = testConfig(run.prometheus.url, scenarioAppEnv(run.prometheus.url));
    const gateway = createGateway(createPrometheusClient(config.prometheus), { ttlMs: 0 });
    const range = absoluteRange(window.startUnixSeconds * 1000, window.endUnixSeconds * 1000);
    const heatmap = await runPanel(
      findPanel("webhook-heatmap")!,
      { range, widthPx: 800, cluster: "", instance: "", webhook: { name: webhooks.slow.name, type: "validating" } },
      { gateway, config, nowMs: Date.now() },
    );
    if (heatmap.status !== "ok" || heatmap.kind !== "heatmap") throw new Error(JSON.stringify(heatmap).slice(0, 300));
    expect(heatmap.uppers).toEqual([0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 25, null]);
    const counted = heatmap.counts.flat().reduce((a, b) => a + b, 0);
    // The summary's increase() over the same window extrapolates a little; the heatmap counts exactly.
    const s = await summaryOf(run.prometheus.url, window.startUnixSeconds, window.endUnixSeconds);
    if (s.status !== "ok") throw new Error(JSON.stringify(s));
    const calls = s.webhooks.find((w) => w.name === webhooks.slow.name)!.calls;
    expect(counted).toBeGreaterThan(calls * 0.9);
    expect(counted).toBeLessThan(calls * 1.1);
    expect(heatmap.quantiles.map((q) => q.name)).toEqual(["p50", "p99"]);
    const p99 = heatmap.quantiles[1]!.points.map(([, v]) => v ?? 0);
    expect(Math.max(...p99)).toBeGreaterThan(Math.max(...heatmap.quantiles[0]!.points.map(([, v]) => v ?? 0)));
  });
});
