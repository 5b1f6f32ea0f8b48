// Admission panels: one webhook's detail (latency heatmap and quantiles, calls by operation, answers, rejections)
// and admission's overall latency. The detail panels select the webhook through ctx.webhookSel (all webhooks
// together when none is chosen).
import { has, label, noEmpty, type PanelContext, type PanelDef } from "../panels/panel-def";
import { admissionStepP99, WEBHOOK_METRICS } from "./summary-queries";
import { NO_WEBHOOK_METRICS } from "./coverage";

const sel = (c: PanelContext) => [c.sel, c.webhookSel].filter(Boolean).join(",");
const needsWebhooks = (s: Parameters<PanelDef["coverage"]>[0]) => (has(s, WEBHOOK_METRICS.duration) ? null : NO_WEBHOOK_METRICS);

const webhookHeatmap: PanelDef = {
  id: "webhook-heatmap",
  title: "Webhook latency heatmap",
  description:
    "Calls per latency bucket and step, summed over the API servers in view: a deeper blue is more calls (log scale; blue, " +
    "not red, because it is a count, not an error). The solid line is the p99 and the dotted one the p50 of the same counts. " +
    "Each column sits at its step's time, under the same ticks as the line charts. A band creeping up toward the timeout " +
    "comes before failures.",
  unit: "seconds",
  coverage: needsWebhooks,
  emptyMessage: () => "No calls to this webhook in this window",
  build: (_s, c) => ({ kind: "buckets", promql: `sum by (${c.targetLabels}, le) (${WEBHOOK_METRICS.duration}{${sel(c)}})` }),
};

const webhookLatency: PanelDef = {
  id: "webhook-latency",
  title: "Webhook latency p50 / p90 / p99",
  description: "Latency quantiles of the webhook's calls, across API servers; the default timeout is 10 s.",
  unit: "seconds",
  coverage: needsWebhooks,
  emptyMessage: noEmpty,
  build: (_s, c) => {
    const inner = `sum by (le) (rate(${WEBHOOK_METRICS.duration}{${sel(c)}}[${c.rateWindow}]))`;
    return {
      kind: "range",
      promql: [0.99, 0.9, 0.5].map((q) => `label_replace(histogram_quantile(${q}, ${inner}), "quantile", "p${Math.round(q * 100)}", "", "")`).join(" or "),
      legend: label("quantile"),
      thresholds: [{ name: "default timeout 10 s", value: 10 }],
    };
  },
};

const webhookCalls: PanelDef = {
  id: "webhook-calls",
  title: "Webhook calls by operation",
  description: "Calls per second by admission operation (CREATE, UPDATE, DELETE, CONNECT) and whether the webhook rejected them.",
  unit: "reqps",
  coverage: needsWebhooks,
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (operation, rejected) (rate(apiserver_admission_webhook_admission_duration_seconds_count{${sel(c)}}[${c.rateWindow}]))`,
    legend: (l) => `${l.operation ?? "?"}${l.rejected === "true" ? " (rejected)" : ""}`,
  }),
};

const webhookCodes: PanelDef = {
  id: "webhook-codes",
  title: "Webhook answers by HTTP code",
  description: "What the webhook answered, per second; codes other than 200 are failed calls.",
  unit: "reqps",
  coverage: (s) => needsWebhooks(s) ?? (has(s, WEBHOOK_METRICS.requests) ? null : `This Prometheus has no ${WEBHOOK_METRICS.requests} (an ALPHA metric, missing on older versions)`),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (code) (rate(${WEBHOOK_METRICS.requests}{${sel(c)}}[${c.rateWindow}]))`,
    legend: label("code"),
  }),
};

const webhookRejections: PanelDef = {
  id: "webhook-rejections",
  title: "Webhook rejections and fail-opens",
  description: "Requests rejected per second by error type and code (calling_webhook_error: the call failed), and calls that failed open.",
  unit: "reqps",
  coverage: (s) => needsWebhooks(s) ?? (has(s, WEBHOOK_METRICS.rejections) ? null : `This Prometheus has no ${WEBHOOK_METRICS.rejections} (an ALPHA metric, missing on older versions)`),
  emptyMessage: () => "Nothing was rejected and no call failed open in this window",
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql:
      `sum by (error_type, rejection_code) (rate(${WEBHOOK_METRICS.rejections}{${sel(c)}}[${c.rateWindow}]))` +
      ` or label_replace(sum(rate(${WEBHOOK_METRICS.failOpen}{${sel(c)}}[${c.rateWindow}])), "error_type", "failed open", "", "")`,
    legend: (l) => [l.error_type ?? "?", l.rejection_code].filter(Boolean).join(" "),
  }),
};

const admissionLatency: PanelDef = {
  id: "admission-latency",
  title: "Admission latency p99 over time (admit, validate)",
  description:
    "Time requests spend in admission (built-in plugins and webhooks), p99 at each time step of the chart, from the summed " +
    "histograms of the API servers in view, for each admission step: admit (mutating) and validate. Its highest point is " +
    "the summary's \"peak\"; the summary's \"over the window\" p99 is one number from all of the window's requests, far " +
    "lower when the slow requests were few or brief.",
  unit: "seconds",
  coverage: (s) => (has(s, WEBHOOK_METRICS.step) ? null : "This Prometheus has no apiserver_admission_step_admission_duration_seconds"),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: admissionStepP99(c.sel, c.rateWindow),
    legend: label("type"),
  }),
};

/** The detail of the chosen webhook, in screen order. */
export const WEBHOOK_PANELS: readonly PanelDef[] = [webhookHeatmap, webhookLatency, webhookCalls, webhookCodes, webhookRejections];
export const ADMISSION_PANELS: readonly PanelDef[] = [admissionLatency];
