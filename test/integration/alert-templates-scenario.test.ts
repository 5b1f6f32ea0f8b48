// The template library against the incident scenario in a real Prometheus: every template builds from the metric
// names this Prometheus has and is evaluated by it; the throttling and surge templates fire within 15 minutes after
// the rollout and never before; the latency templates fire once the scenario's latency crosses their threshold.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backtestAlert, evaluatedSeries } from "@/lib/alerts/backtest";
import { runBacktest } from "@/lib/alerts/backtest-run";
import { backtestSentence } from "@/lib/alerts/backtest-text";
import { splitThreshold } from "@/lib/alerts/promql-ast";
import { buildAlert, defaultParams, TEMPLATES, templateById } from "@/lib/alerts/templates";
import type { ParamValues, TemplateContext } from "@/lib/alerts/templates/types";
import { createPrometheusClient, type PrometheusClient } from "@/lib/prometheus/client";
import { parseDuration } from "@/lib/duration";
import type { ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { testConfig } from "../support/config";
import { startSmallScenario } from "../support/scenario";

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;
let client: PrometheusClient;
let ctx: TemplateContext;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("templates"));
  client = createPrometheusClient(testConfig(run.prometheus.url).prometheus);
  const { startUnixSeconds, endUnixSeconds } = run.files.summary.window;
  ctx = { apiserverSelector: 'job="apiserver"', names: new Set(await client.labelValues("__name__", [], startUnixSeconds, endUnixSeconds)) };
}, 120_000);

afterAll(() => stop?.());

function build(id: string, values: ParamValues = {}) {
  const t = templateById(id)!;
  const built = buildAlert(t, { ...defaultParams(t, ctx), ...values }, ctx, { for: t.for, keepFiringFor: t.keepFiringFor, severity: t.severity, labels: {} });
  if (!built.ok) throw new Error(`${id} lacks ${built.missing.join(", ")}`);
  return { t, ...built };
}

async function backtest(id: string, values: ParamValues = {}, intervalSeconds = 30) {
  const { rule } = build(id, values);
  const { startUnixSeconds, endUnixSeconds } = run.files.summary.window;
  return runBacktest(client, {
    expr: rule.expr,
    forSeconds: parseDuration(rule.for || "0s")!,
    keepFiringForSeconds: parseDuration(rule.keepFiringFor || "0s")!,
    intervalSeconds,
    startSeconds: startUnixSeconds,
    endSeconds: endUnixSeconds,
  });
}

describe("the template library over the incident scenario", () => {
  it("every template but apiscope's own per-client ones builds from this Prometheus' names and is evaluated by it", async () => {
    const lacking: string[] = [];
    for (const t of TEMPLATES) {
      const built = buildAlert(t, defaultParams(t, ctx), ctx, { for: t.for, keepFiringFor: t.keepFiringFor, severity: t.severity, labels: {} });
      if (!built.ok) {
        lacking.push(t.id);
        continue;
      }
      // Recording-rule templates are evaluated through their records' expressions; the rest as written.
      for (const expr of [...built.records.map((r) => r.expr), ...(built.records.length === 0 ? [built.rule.expr] : [])]) {
        await expect(client.queryInstant(expr, run.files.summary.window.endUnixSeconds), `${t.id}: ${expr}`).resolves.toBeInstanceOf(Array);
      }
    }
    // The scenario's Prometheus does not scrape apiscope itself: only the per-client templates lack their metrics.
    expect(lacking.sort()).toEqual(TEMPLATES.filter((t) => t.area === "clients").map((t) => t.id).sort());
  }, 120_000);

  it.each([
    ["apf-rejections", {}],
    ["apiserver-429-ratio", {}],
    // The scenario holds 40 minutes: the baseline is 10 minutes earlier, not an hour.
    ["apiserver-list-watch-surge-1h", { offset: "10m" }],
  ] as const)("%s fires within 15 minutes after the rollout starts, and never before", async (id, values) => {
    const b = await backtest(id, values);
    const rolloutMs = run.files.summary.incident.startUnixSeconds * 1000;
    expect(b.firstFiredMs).not.toBeNull();
    expect(b.firstFiredMs!).toBeGreaterThan(rolloutMs);
    expect(b.firstFiredMs! - rolloutMs).toBeLessThanOrEqual(15 * 60_000);
    for (const s of b.series) for (const span of s.spans) expect(span.fromMs).toBeGreaterThan(rolloutMs);
    expect(backtestSentence(b, parseDuration(build(id, values).rule.for)! * 1000, { label: "the rollout", ms: rolloutMs })).toMatch(
      /^Would have fired at .* UTC, \S+ after the rollout, firing for .*; \d+ series\.$/,
    );
  }, 60_000);

  it.each([
    ["apiserver-latency-p99", {}],
    ["apf-rejections", {}],
    ["apf-seats-near-limit", { ratio: 0.5 }],
    ["coredns-servfail-ratio", { ratio: 0.001 }],
    // A resource with no requests in the baseline window compares as +Inf: it must still pass.
    ["apiserver-list-watch-surge-1h", { offset: "10m" }],
  ] as const)("%s: the backtest read from the compared expression equals the expression evaluated as written", async (id, values) => {
    const { rule } = build(id, values);
    const { startUnixSeconds, endUnixSeconds } = run.files.summary.window;
    const req = { forSeconds: parseDuration(rule.for || "0s")!, keepFiringForSeconds: 0, intervalSeconds: 30, startSeconds: startUnixSeconds, endSeconds: endUnixSeconds };
    const compared = await runBacktest(client, { ...req, expr: rule.expr });
    // `and on () vector(1)` keeps the result and hides the threshold: the expression is evaluated as written.
    const written = await runBacktest(client, { ...req, expr: `(${rule.expr}) and on () vector(1)` });
    expect(compared.firstFiredMs).not.toBeNull();
    expect(compared.series).toEqual(written.series);
    expect(compared.cost.queries).toBe(written.cost.queries);
  }, 60_000);

  it("a compared expression with more series than a backtest reads falls back to the expression as written", async () => {
    const { startUnixSeconds, endUnixSeconds } = run.files.summary.window;
    const many = await client.queryInstant("count(apiserver_request_duration_seconds_bucket)", endUnixSeconds);
    expect(many[0]!.value!).toBeGreaterThan(500);
    const req = { forSeconds: 0, keepFiringForSeconds: 0, intervalSeconds: 60, startSeconds: startUnixSeconds, endSeconds: endUnixSeconds };
    const quiet = await runBacktest(client, { ...req, expr: "apiserver_request_duration_seconds_bucket > 1e15" });
    expect(quiet.firstFiredMs).toBeNull();
    expect(quiet.cost.series).toBe(0);
    const some = await runBacktest(client, { ...req, expr: 'apiserver_request_duration_seconds_bucket{le="+Inf",verb="LIST"} > 0' });
    expect(some.firstFiredMs).not.toBeNull();
  }, 60_000);

  it("a long window is evaluated in two halves at once, and the halves join into the backtest of one query", async () => {
    const { rule } = build("apiserver-429-ratio");
    const expr = `(${rule.expr}) and on () vector(1)`;
    const { startUnixSeconds, endUnixSeconds } = run.files.summary.window;
    // Every second: 2,400 evaluations, one query's worth, run as two.
    const req = { expr, forSeconds: 300, keepFiringForSeconds: 60, intervalSeconds: 1, startSeconds: startUnixSeconds, endSeconds: endUnixSeconds };
    const halves = await runBacktest(client, req);
    expect(halves.cost.queries).toBe(2);
    const whole = await client.queryRange(expr, halves.startSeconds, halves.endSeconds, 1);
    const expected = backtestAlert({ ...evaluatedSeries(whole, { startSeconds: halves.startSeconds, endSeconds: halves.endSeconds, stepSeconds: 1 }), forMs: 300_000, keepFiringForMs: 60_000 });
    expect(halves.firstFiredMs).not.toBeNull();
    expect(halves.series).toEqual(expected.series);
  }, 60_000);

  it.each([
    ["+Inf (a ratio over an empty baseline) passes a comparison", "vector(1) / vector(0) > 5", true],
    ["-Inf passes a comparison below", "vector(-1) / vector(0) < -5", true],
    ["NaN passes no comparison but !=", "vector(0) / vector(0) > 5", false],
    ["NaN passes !=", "vector(0) / vector(0) != 5", true],
  ] as const)("%s, read from the compared expression as when evaluated as written", async (_name, expr, fires) => {
    const { startUnixSeconds } = run.files.summary.window;
    const req = { forSeconds: 0, keepFiringForSeconds: 0, intervalSeconds: 30, startSeconds: startUnixSeconds, endSeconds: startUnixSeconds + 600 };
    const compared = await runBacktest(client, { ...req, expr });
    const written = await runBacktest(client, { ...req, expr: `(${expr}) and on () vector(1)` });
    expect(compared.firstFiredMs !== null).toBe(fires);
    expect(compared.series).toEqual(written.series);
  });

  it.each([
    ["apiserver-latency-p99", "seconds"],
    ["webhook-latency-near-timeout", "ratio"],
    ["etcd-request-latency-p99", "seconds"],
    ["coredns-latency-p99", "seconds"],
  ] as const)("%s fires once the value crosses its threshold, and not when the threshold is above the peak", async (id, param) => {
    const { rule } = build(id);
    const { lhs } = splitThreshold(rule.expr)!;
    const { startUnixSeconds, endUnixSeconds } = run.files.summary.window;
    const series = await client.queryRange(lhs, startUnixSeconds, endUnixSeconds, 30);
    const points = series.flatMap((s) => s.points).filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]));
    const peak = Math.max(...points.map(([, v]) => v));
    expect(peak).toBeGreaterThan(0);
    const threshold = peak / 2;
    const crossedMs = Math.min(...points.filter(([, v]) => v > threshold).map(([t]) => t));
    const fired = await backtest(id, { [param]: threshold });
    expect(fired.firstFiredMs).not.toBeNull();
    expect(fired.firstFiredMs!).toBeGreaterThanOrEqual(crossedMs);
    const quiet = await backtest(id, { [param]: param === "ratio" ? Math.min(1, peak * 2) : peak * 2 });
    expect(quiet.firstFiredMs).toBeNull();
  }, 60_000);
});
