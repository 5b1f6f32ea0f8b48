// "Keep this incident as a test of your alerts", end to end against Prometheus' own rule engine: two rules are
// backtested over the incident scenario in a real Prometheus, their input series captured through the gateway, and
// the backtest's answers at the chosen evaluation times written as a `promtool test rules` file — which promtool
// passes, and fails, naming the alert, once one expectation is wrong.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBacktest } from "@/lib/alerts/backtest-run";
import type { BacktestAnswer } from "@/lib/alerts/backtest-types";
import { captureInputSeries, captureLookbackSeconds, type Capture } from "@/lib/alerts/capture";
import { exportYaml } from "@/lib/alerts/export";
import { durationLiteralSeconds } from "@/lib/alerts/promql-ast";
import { alertsFiringAt, chooseEvalTimes, regressionStep, regressionTestYaml, testedRuleFile, type Expectation } from "@/lib/alerts/regression";
import { isAlerting, type AlertingRule, type RuleGroup } from "@/lib/alerts/rules";
import { createPrometheusClient } from "@/lib/prometheus/client";
import { createGateway, type Gateway } from "@/lib/prometheus/gateway";
import { PROMTOOL_BIN } from "@/scripts/lib/prometheus";
import type { ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { tempDir } from "@/test/support/audit-harness";
import { testConfig } from "../support/config";
import { startSmallScenario } from "../support/scenario";

const INTERVAL = 30;
const MARGIN_MS = 2 * 60_000;

const GROUPS: RuleGroup[] = [
  {
    name: "apiserver-overload",
    interval: `${INTERVAL}s`,
    rules: [
      {
        alert: "APFRejections",
        expr: "sum by (priority_level) (rate(apiserver_flowcontrol_rejected_requests_total[2m])) > 0.1",
        for: "2m",
        keepFiringFor: "",
        labels: { severity: "warning" },
        // Dropped from the tested rule file: the test is about when rules fire.
        annotations: { summary: "{{ $labels.priority_level }} rejects {{ $value | humanize }} requests/s" },
      },
      {
        alert: "APIServer429s",
        expr: 'sum(rate(apiserver_request_total{code="429"}[2m])) > 0.1',
        for: "1m",
        keepFiringFor: "5m",
        labels: { severity: "critical" },
        annotations: { summary: "{{ $value | humanize }} 429s per second" },
      },
    ],
  },
];

const ALERTS = GROUPS.flatMap((g) => g.rules.filter(isAlerting));
const seconds = (d: string) => (d === "" ? 0 : durationLiteralSeconds(d)!);

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;
let gateway: Gateway;
let tmp: ReturnType<typeof tempDir>;
let backtests: Map<string, BacktestAnswer>;
let capture: Capture;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("regression"));
  tmp = tempDir("alert-regression");
  gateway = createGateway(createPrometheusClient(testConfig(run.prometheus.url).prometheus), { ttlMs: 0 });
  const { window } = run.files.summary;
  backtests = new Map();
  for (const rule of ALERTS) {
    const answer = await runBacktest(gateway, {
      expr: rule.expr,
      forSeconds: seconds(rule.for),
      keepFiringForSeconds: seconds(rule.keepFiringFor),
      intervalSeconds: INTERVAL,
      startSeconds: window.startUnixSeconds,
      endSeconds: window.endUnixSeconds,
    });
    backtests.set(rule.alert, answer);
  }
  const first = backtests.get(ALERTS[0]!.alert)!;
  const exprs = GROUPS.flatMap((g) => g.rules.map((r) => r.expr));
  const lookbackSeconds = captureLookbackSeconds(exprs);
  capture = await captureInputSeries(gateway, {
    exprs,
    recorded: [],
    startSeconds: first.startSeconds,
    endSeconds: first.endSeconds,
    stepSeconds: regressionStep(first.endSeconds - first.startSeconds + lookbackSeconds, INTERVAL),
    lookbackSeconds,
    alignSeconds: INTERVAL,
  });
}, 180_000);

afterAll(async () => {
  await stop?.();
  tmp?.cleanup();
});

/** The backtest's answers at the chosen evaluation times, per rule. */
function expectations(): Expectation[] {
  return ALERTS.flatMap((rule: AlertingRule) => {
    const b = backtests.get(rule.alert)!;
    const evalTimesMs = Array.from({ length: b.evaluations }, (_, k) => (b.startSeconds + k * b.intervalSeconds) * 1000);
    const times = chooseEvalTimes(b, evalTimesMs, { marginMs: MARGIN_MS, max: 20, keepFiringForMs: seconds(rule.keepFiringFor) * 1000 });
    return times.map((t) => ({ evalSeconds: t / 1000, alertname: rule.alert, alerts: alertsFiringAt(b, t) }));
  });
}

function promtool(exps: Expectation[]): { status: number | null; output: string } {
  writeFileSync(path.join(tmp.dir, "rules.yaml"), exportYaml(testedRuleFile(GROUPS), "rules-file", { name: "", namespace: "", labels: {} }));
  const test = regressionTestYaml({
    ruleFileName: "rules.yaml",
    groups: GROUPS,
    intervalSeconds: INTERVAL,
    stepSeconds: capture.stepSeconds,
    startSeconds: capture.startSeconds,
    inputSeries: capture.series,
    expectations: exps,
  });
  writeFileSync(path.join(tmp.dir, "test.yaml"), test);
  const r = spawnSync(PROMTOOL_BIN, ["test", "rules", "test.yaml"], { cwd: tmp.dir, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("a regression test kept from the incident", () => {
  it("captures the rules' input series on the evaluation grid, within the limits", () => {
    expect(capture.stepSeconds).toBe(INTERVAL);
    expect(capture.queries).toEqual(["apiserver_flowcontrol_rejected_requests_total", 'apiserver_request_total{code="429"}']);
    expect(capture.series.length).toBeGreaterThan(0);
    expect(capture.series.length).toBeLessThanOrEqual(200);
    const first = backtests.get(ALERTS[0]!.alert)!;
    expect((first.startSeconds - capture.startSeconds) % INTERVAL).toBe(0);
    expect(first.startSeconds - capture.startSeconds).toBeGreaterThanOrEqual(120);
    for (const s of capture.series) expect(s.labels.__name__).toMatch(/^apiserver_(flowcontrol_rejected_requests|request)_total$/);
  });

  it("checks firing and quiet moments of both rules", () => {
    const exps = expectations();
    for (const rule of ALERTS) {
      const mine = exps.filter((e) => e.alertname === rule.alert);
      expect(mine.length).toBeLessThanOrEqual(20);
      expect(mine.some((e) => e.alerts.length > 0)).toBe(true);
      expect(mine.some((e) => e.alerts.length === 0)).toBe(true);
      // One quiet moment comes before the alert first fired.
      expect(mine.some((e) => e.alerts.length === 0 && e.evalSeconds * 1000 < backtests.get(rule.alert)!.firstFiredMs!)).toBe(true);
    }
  });

  it("passes promtool test rules", () => {
    const r = promtool(expectations());
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("fails promtool test rules, naming the alert, when one expectation is wrong", () => {
    for (const rule of ALERTS) {
      const exps = expectations();
      const i = exps.findIndex((e) => e.alertname === rule.alert && e.alerts.length > 0);
      exps[i] = { ...exps[i]!, alerts: [] };
      const r = promtool(exps);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/FAILED/);
      expect(r.output).toContain(`alertname: ${rule.alert}`);
    }
  });

  it("leaves out what recording rules produce: promtool computes it", async () => {
    const first = backtests.get(ALERTS[0]!.alert)!;
    const c = await captureInputSeries(gateway, {
      exprs: ["apiserver:flowcontrol_rejected:rate2m > 0.1", "sum by (priority_level) (rate(apiserver_flowcontrol_rejected_requests_total[2m]))"],
      recorded: ["apiserver:flowcontrol_rejected:rate2m"],
      startSeconds: first.startSeconds,
      endSeconds: first.startSeconds + 600,
      stepSeconds: INTERVAL,
      lookbackSeconds: 120,
    });
    expect(c.queries).toEqual(["apiserver_flowcontrol_rejected_requests_total"]);
    expect(c.series.every((s) => s.values.length === 25)).toBe(true); // 4 steps of lookback, then 0–600s
  });

  it("refuses to capture more input series than a test holds", async () => {
    const first = backtests.get(ALERTS[0]!.alert)!;
    await expect(
      captureInputSeries(gateway, {
        exprs: ['count({__name__=~"apiserver_.+"})'],
        recorded: [],
        startSeconds: first.startSeconds,
        endSeconds: first.startSeconds + 600,
        stepSeconds: INTERVAL,
        lookbackSeconds: 0,
      }),
    ).rejects.toThrow(/more than the 200 input series/);
  });
});
