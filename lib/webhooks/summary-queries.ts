// PromQL of the admission-webhook summary: one instant query per measure over the whole window, each grouped by
// webhook (name, type). Pure; `sel` is the already-escaped API-server selector.

const DURATION = "apiserver_admission_webhook_admission_duration_seconds";
export const WEBHOOK_METRICS = {
  duration: `${DURATION}_bucket`,
  requests: "apiserver_admission_webhook_request_total",
  rejections: "apiserver_admission_webhook_rejection_count",
  failOpen: "apiserver_admission_webhook_fail_open_count",
  step: "apiserver_admission_step_admission_duration_seconds_bucket",
  controller: "apiserver_admission_controller_admission_duration_seconds_bucket",
} as const;

export const QUANTILES = [0.5, 0.9, 0.99] as const;

/** Verbs whose requests go through admission (as apiserver_request_duration_seconds labels them). */
const MUTATING_VERBS = "POST|PUT|PATCH|DELETE|DELETECOLLECTION|APPLY";

export interface SummaryQueries {
  calls: string;
  seconds: string;
  quantiles: Record<(typeof QUANTILES)[number], string>;
  /** Calls at or below 10 s and 25 s (the default and a common webhook timeout) and in all. */
  slowBuckets: string;
  codes: string;
  rejections: string;
  failOpen: string;
  admissionSeconds: string;
  requestSeconds: string;
  /** p99 per admission step (admit, validate) over the whole window: one number from all of the window's requests. */
  stepP99: string;
  /** The highest of the per-time-step p99s the admission-latency chart draws, over the same window. */
  stepPeakP99: string;
  controllersP99: string;
}

/** How the window is cut into time steps, as for a chart of it (RangePlan). */
export interface SummaryWindow {
  windowSeconds: number;
  stepSeconds: number;
  rateWindowSeconds: number;
}

/** p99 per admission step at one time step: the admission-latency chart's series, and what the summary peaks. */
export function admissionStepP99(sel: string, rateWindow: string): string {
  return `histogram_quantile(0.99, sum by (type, le) (rate(${WEBHOOK_METRICS.step}{${sel}}[${rateWindow}])))`;
}

export function summaryQueries(sel: string, w: SummaryWindow): SummaryQueries {
  const window = `${w.windowSeconds}s`;
  const inc = (metric: string, extra = "") => `increase(${metric}{${[sel, extra].filter(Boolean).join(",")}}[${window}])`;
  const q = (quantile: number, by: string, metric: string) => `histogram_quantile(${quantile}, sum by (${by}, le) (${inc(metric)}))`;
  return {
    calls: `sum by (name, type) (${inc(`${DURATION}_count`)})`,
    seconds: `sum by (name, type) (${inc(`${DURATION}_sum`)})`,
    quantiles: Object.fromEntries(QUANTILES.map((x) => [x, q(x, "name, type", WEBHOOK_METRICS.duration)])) as SummaryQueries["quantiles"],
    slowBuckets: `sum by (name, type, le) (${inc(WEBHOOK_METRICS.duration, 'le=~"10|10\\\\.0|25|25\\\\.0|\\\\+Inf"')})`,
    codes: `sum by (name, type, code) (${inc(WEBHOOK_METRICS.requests)})`,
    rejections: `sum by (name, type, error_type, rejection_code) (${inc(WEBHOOK_METRICS.rejections)})`,
    failOpen: `sum by (name, type) (${inc(WEBHOOK_METRICS.failOpen)})`,
    admissionSeconds: `sum(${inc("apiserver_admission_step_admission_duration_seconds_sum")})`,
    requestSeconds: `sum(${inc("apiserver_request_duration_seconds_sum", `verb=~"${MUTATING_VERBS}"`)})`,
    stepP99: q(0.99, "type", WEBHOOK_METRICS.step),
    // The subquery's points fall on the chart's (both aligned to the step); one step more takes in the window's start.
    stepPeakP99: `max_over_time(${admissionStepP99(sel, `${w.rateWindowSeconds}s`)}[${w.windowSeconds + w.stepSeconds}s:${w.stepSeconds}s])`,
    controllersP99: `topk(10, ${q(0.99, "name, type", WEBHOOK_METRICS.controller)})`,
  };
}
