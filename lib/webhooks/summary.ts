import "server-only";
// The admission-webhook summary of a window: per webhook its calls, latency quantiles, time share, slow calls,
// answers, rejections and fail-opens, and admission's overall cost — from the API servers' own metrics.
import type { Config } from "../config";
import { assertSeriesLimit, PrometheusError } from "../prometheus/errors";
import type { Gateway } from "../prometheus/gateway";
import type { InstantSample } from "../prometheus/types";
import { MAX_SERIES_FETCHED, prepareQuery, type PanelRequest } from "../panels/run-panel";
import { rangeProblem } from "../time-range";
import { NO_WEBHOOK_METRICS } from "./coverage";
import { QUANTILES, summaryQueries, WEBHOOK_METRICS } from "./summary-queries";
import type { AdmissionOverall, WebhookRow, WebhookSummary } from "./types";


const typeOf = (t: string | undefined): WebhookRow["type"] => (t === "admit" || t === "mutating" ? "mutating" : "validating");
const keyOf = (l: Record<string, string>) => JSON.stringify([l.name ?? "", typeOf(l.type)]);
const num = (v: number | null) => (v === null || !Number.isFinite(v) ? 0 : v);
const calls = (n: number) => `${Math.round(n).toLocaleString("en-US")} ${Math.round(n) === 1 ? "call" : "calls"}`;

const valueOf = (samples: InstantSample[], type: string) => {
  const v = samples.find((s) => (s.labels.type ?? "") === type)?.value ?? null;
  return v !== null && Number.isFinite(v) ? v : null;
};

/** Turns the answers into rows; pure, so the shaping is tested without Prometheus. */
export function shapeSummary(a: {
  windowSeconds: number;
  calls: InstantSample[];
  seconds: InstantSample[];
  quantiles: Record<number, InstantSample[]>;
  slowBuckets: InstantSample[];
  codes: InstantSample[] | null;
  rejections: InstantSample[] | null;
  failOpen: InstantSample[] | null;
  admissionSeconds: InstantSample[];
  requestSeconds: InstantSample[];
  stepP99: InstantSample[];
  stepPeakP99: InstantSample[];
  peakStepSeconds: number;
  controllersP99: InstantSample[];
}): { webhooks: WebhookRow[]; admission: AdmissionOverall } {
  const rows = new Map<string, WebhookRow>();
  const row = (l: Record<string, string>) => {
    const k = keyOf(l);
    let r = rows.get(k);
    if (!r) {
      r = {
        name: l.name ?? "",
        type: typeOf(l.type),
        calls: 0,
        callsPerSecond: 0,
        p50: null,
        p90: null,
        p99: null,
        seconds: 0,
        shareOfAdmission: null,
        slowerThan10s: 0,
        slowerThan25s: 0,
        codes: a.codes ? {} : null,
        rejections: [],
        rejected: 0,
        failedCalls: 0,
        failOpen: a.failOpen ? 0 : null,
        warnings: [],
      };
      rows.set(k, r);
    }
    return r;
  };
  for (const s of a.calls) {
    const r = row(s.labels);
    r.calls = num(s.value);
    r.callsPerSecond = r.calls / a.windowSeconds;
  }
  for (const s of a.seconds) row(s.labels).seconds = num(s.value);
  for (const q of QUANTILES) {
    for (const s of a.quantiles[q] ?? []) {
      const r = row(s.labels);
      const v = s.value !== null && Number.isFinite(s.value) ? s.value : null;
      if (q === 0.5) r.p50 = v;
      else if (q === 0.9) r.p90 = v;
      else r.p99 = v;
    }
  }
  const slow = new Map<string, { le10: number; le25: number; all: number }>();
  for (const s of a.slowBuckets) {
    const k = keyOf(s.labels);
    const b = slow.get(k) ?? { le10: 0, le25: 0, all: 0 };
    const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
    if (le === 10) b.le10 += num(s.value);
    else if (le === 25) b.le25 += num(s.value);
    else if (le === Infinity) b.all += num(s.value);
    slow.set(k, b);
  }
  for (const [k, b] of slow) {
    const r = rows.get(k);
    if (!r) continue;
    r.slowerThan10s = Math.max(0, b.all - b.le10);
    r.slowerThan25s = Math.max(0, b.all - b.le25);
  }
  for (const s of a.codes ?? []) {
    const r = row(s.labels);
    const code = s.labels.code ?? "?";
    r.codes![code] = (r.codes![code] ?? 0) + num(s.value);
  }
  for (const s of a.rejections ?? []) {
    const n = num(s.value);
    if (n <= 0) continue;
    const r = row(s.labels);
    r.rejections.push({ errorType: s.labels.error_type ?? "", rejectionCode: s.labels.rejection_code ?? "", count: n });
    r.rejected += n;
    if (s.labels.error_type === "calling_webhook_error") r.failedCalls += n;
  }
  for (const s of a.failOpen ?? []) {
    const r = row(s.labels);
    r.failOpen = num(s.value);
    r.failedCalls += r.failOpen;
  }
  const admissionSeconds = num(a.admissionSeconds[0]?.value ?? null);
  const requestSeconds = num(a.requestSeconds[0]?.value ?? null);
  const webhooks = [...rows.values()];
  for (const r of webhooks) {
    r.shareOfAdmission = admissionSeconds > 0 ? Math.min(1, r.seconds / admissionSeconds) : null;
    r.rejections.sort((x, y) => y.count - x.count);
    if (r.slowerThan10s > 0) r.warnings.push(`${calls(r.slowerThan10s)} took longer than 10 s, the default webhook timeout`);
    else if (r.p99 !== null && r.p99 >= 5) r.warnings.push(`p99 of ${r.p99.toFixed(1)} s is approaching the default 10 s timeout`);
    if (r.failedCalls > 0) r.warnings.push(`${calls(r.failedCalls)} failed${r.failOpen ? ` (${Math.round(r.failOpen).toLocaleString("en-US")} failed open)` : ""}`);
  }
  webhooks.sort((x, y) => (y.p99 ?? -1) - (x.p99 ?? -1) || y.calls - x.calls || x.name.localeCompare(y.name));
  return {
    webhooks,
    admission: {
      shareOfMutatingLatency: requestSeconds > 0 && admissionSeconds > 0 ? Math.min(1, admissionSeconds / requestSeconds) : null,
      stepP99: [...new Set([...a.stepP99, ...a.stepPeakP99].map((s) => s.labels.type ?? ""))].map((type) => ({
        type,
        p99: valueOf(a.stepP99, type),
        peakP99: valueOf(a.stepPeakP99, type),
      })),
      peakStepSeconds: a.peakStepSeconds,
      controllers: a.controllersP99
        .map((s) => ({ name: s.labels.name ?? "", type: s.labels.type ?? "", p99: s.value !== null && Number.isFinite(s.value) ? s.value : null }))
        .sort((x, y) => (y.p99 ?? -1) - (x.p99 ?? -1)),
    },
  };
}

export async function webhookSummary(req: PanelRequest, deps: { gateway: Gateway; config: Config; nowMs: number }): Promise<WebhookSummary> {
  const problem = rangeProblem(req.range, deps.nowMs);
  if (problem) return { status: "error", kind: "bad_request", message: problem };
  try {
    const { plan, schema, ctx } = await prepareQuery(req, deps);
    if (!schema.names.has(WEBHOOK_METRICS.duration)) return { status: "not-covered", message: NO_WEBHOOK_METRICS };
    const windowSeconds = plan.endSeconds - plan.startSeconds;
    const q = summaryQueries(ctx.sel, { windowSeconds, stepSeconds: plan.stepSeconds, rateWindowSeconds: plan.rateWindowSeconds });
    const at = plan.endSeconds;
    const run = async (promql: string) => {
      const result = await deps.gateway.queryInstant(promql, at);
      assertSeriesLimit(result.length, MAX_SERIES_FETCHED);
      return result;
    };
    const optional = (metric: string, promql: string) => (schema.names.has(metric) ? run(promql) : Promise.resolve(null));
    const [calls, seconds, q50, q90, q99, slowBuckets, codes, rejections, failOpen, admissionSeconds, requestSeconds, stepP99, stepPeakP99, controllersP99] = await Promise.all([
      run(q.calls),
      run(q.seconds),
      run(q.quantiles[0.5]),
      run(q.quantiles[0.9]),
      run(q.quantiles[0.99]),
      run(q.slowBuckets),
      optional(WEBHOOK_METRICS.requests, q.codes),
      optional(WEBHOOK_METRICS.rejections, q.rejections),
      optional(WEBHOOK_METRICS.failOpen, q.failOpen),
      optional(WEBHOOK_METRICS.step, q.admissionSeconds),
      run(q.requestSeconds),
      optional(WEBHOOK_METRICS.step, q.stepP99),
      optional(WEBHOOK_METRICS.step, q.stepPeakP99),
      optional(WEBHOOK_METRICS.controller, q.controllersP99),
    ]);
    const shaped = shapeSummary({
      windowSeconds,
      calls,
      seconds,
      quantiles: { 0.5: q50, 0.9: q90, 0.99: q99 },
      slowBuckets,
      codes,
      rejections,
      failOpen,
      admissionSeconds: admissionSeconds ?? [],
      requestSeconds,
      stepP99: stepP99 ?? [],
      stepPeakP99: stepPeakP99 ?? [],
      peakStepSeconds: plan.stepSeconds,
      controllersP99: controllersP99 ?? [],
    });
    const missing = [WEBHOOK_METRICS.requests, WEBHOOK_METRICS.rejections, WEBHOOK_METRICS.failOpen, WEBHOOK_METRICS.step].filter((m) => !schema.names.has(m));
    return { status: "ok", windowSeconds, ...shaped, missing };
  } catch (err) {
    if (err instanceof PrometheusError) return { status: "error", kind: err.kind, message: err.message };
    throw err;
  }
}
