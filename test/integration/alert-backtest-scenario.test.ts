// Backtests over the incident scenario in a real Prometheus: rules on APF rejections and on 429s, evaluated every
// 30 s across the scenario's window with `for`, fire after the telemetry agent's rollout starts — within 15
// minutes — and never before it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backtestAlert, evaluatedSeries } from "@/lib/alerts/backtest";
import { backtestSentence } from "@/lib/alerts/backtest-text";
import { createPrometheusClient } from "@/lib/prometheus/client";
import type { ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { testConfig } from "../support/config";
import { startSmallScenario } from "../support/scenario";

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("backtest"));
}, 120_000);

afterAll(() => stop?.());

const EVAL_SECONDS = 30;

async function backtest(expr: string, forSeconds: number) {
  const client = createPrometheusClient(testConfig(run.prometheus.url).prometheus);
  const { window } = run.files.summary;
  const startSeconds = Math.ceil(window.startUnixSeconds / EVAL_SECONDS) * EVAL_SECONDS;
  const endSeconds = Math.floor(window.endUnixSeconds / EVAL_SECONDS) * EVAL_SECONDS;
  const result = await client.queryRange(expr, startSeconds, endSeconds, EVAL_SECONDS);
  return backtestAlert({ ...evaluatedSeries(result, { startSeconds, endSeconds, stepSeconds: EVAL_SECONDS }), forMs: forSeconds * 1000, keepFiringForMs: 0 });
}

describe("backtests over the incident scenario", () => {
  it.each([
    ["APF rejections by priority level", "sum by (priority_level) (rate(apiserver_flowcontrol_rejected_requests_total[2m])) > 0.1"],
    ["429 answers", 'sum(rate(apiserver_request_total{code="429"}[2m])) > 0.1'],
  ])("a rule on %s fires after the rollout starts, within 15 minutes, and never before", async (_name, expr) => {
    const b = await backtest(expr, 120);
    const startMs = run.files.summary.incident.startUnixSeconds * 1000;
    expect(b.firstFiredMs).not.toBeNull();
    expect(b.firstFiredMs!).toBeGreaterThan(startMs);
    expect(b.firstFiredMs! - startMs).toBeLessThanOrEqual(15 * 60_000);
    // Nothing pending or firing before the rollout.
    for (const s of b.series) for (const span of s.spans) expect(span.fromMs).toBeGreaterThan(startMs);
    expect(backtestSentence(b, 120_000, { label: "the rollout", ms: startMs })).toMatch(/^Would have fired at .* UTC, \S+ after the rollout, firing for /);
  });

  it("a rule whose threshold the scenario never reaches does not fire", async () => {
    const b = await backtest('sum(rate(apiserver_request_total{code="429"}[2m])) > 1e9', 120);
    expect(b.firstFiredMs).toBeNull();
    expect(b.series).toEqual([]);
  });
});
