// API Priority and Fairness panels: per priority level (seats, executing and queued, queue wait, rejections, dispatch
// rate) and per flow schema (dispatched and rejected). Each says what this Prometheus lacks instead of drawing nothing.
import { hasApf, type MetricSchema } from "../prometheus/schema";
import { has, label, NO_APF_METRICS, noEmpty, type PanelDef } from "../panels/panel-def";
import {
  APF_METRICS,
  apfInUseMetric,
  NO_APF_DISPATCHED,
  NO_APF_EXECUTING,
  NO_APF_IN_QUEUE,
  NO_APF_LIMIT_METRIC,
  NO_APF_WAIT,
} from "../prometheus/apf-metrics";

const NO_REJECTIONS = "No request was rejected by APF in this window";

/** The first missing need's message, NO_APF_METRICS before all. */
const needs =
  (...checks: Array<(s: MetricSchema) => string | null>) =>
  (s: MetricSchema) => {
    if (!hasApf(s)) return NO_APF_METRICS;
    for (const check of checks) {
      const missing = check(s);
      if (missing) return missing;
    }
    return null;
  };
const metric = (name: string, message: string) => (s: MetricSchema) => (has(s, name) ? null : message);
const flowLegend = (l: Record<string, string>) => `${l.flow_schema || "?"} → ${l.priority_level || "?"}`;

const apfSeatUtilisation: PanelDef = {
  id: "apf-utilisation",
  title: "APF seat utilisation by priority level",
  description:
    "Seats executing per priority level as a share of its nominal seats, per API server and the highest of them (each server " +
    "has seats of its own, so a sum would hide a full one); a level pinned at 100% queues and then rejects its flows.",
  unit: "ratio",
  coverage: needs(
    (s) => (s.apfLimitMetric ? null : NO_APF_LIMIT_METRIC),
    (s) => (apfInUseMetric(s) ? null : NO_APF_EXECUTING),
  ),
  emptyMessage: noEmpty,
  build: (s, c) => {
    const inUse = apfInUseMetric(s) ?? APF_METRICS.executingRequests;
    return {
      kind: "range",
      promql:
        `max by (priority_level) (sum by (${c.targetLabels}, priority_level) (${inUse}{${c.sel}})` +
        ` / (sum by (${c.targetLabels}, priority_level) (${s.apfLimitMetric}{${c.sel}}) > 0))`,
      legend: label("priority_level"),
    };
  },
};

const apfExecutingQueued: PanelDef = {
  id: "apf-executing-queued",
  title: "APF executing and queued requests by priority level",
  description:
    "Requests executing and waiting in APF queues per priority level, across the API servers in view; anything queued means the " +
    "level is full.",
  unit: "count",
  coverage: needs(metric(APF_METRICS.executingRequests, NO_APF_EXECUTING), metric(APF_METRICS.inQueue, NO_APF_IN_QUEUE)),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql:
      `label_replace(sum by (priority_level) (${APF_METRICS.inQueue}{${c.sel}}), "state", "queued", "", "")` +
      ` or label_replace(sum by (priority_level) (${APF_METRICS.executingRequests}{${c.sel}}), "state", "executing", "", "")`,
    legend: (l) => `${l.priority_level || "?"} · ${l.state ?? "?"}`,
    role: (l) => (l.state === "executing" ? "secondary" : undefined),
  }),
};

const apfQueueWait: PanelDef = {
  id: "apf-queue-wait",
  title: "APF queue wait p99 by priority level",
  description: "How long requests waited in APF queues before executing or being rejected; a rising wait precedes 429s.",
  unit: "seconds",
  coverage: needs(metric(APF_METRICS.waitBucket, NO_APF_WAIT)),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: `histogram_quantile(0.99, sum by (priority_level, le) (rate(${APF_METRICS.waitBucket}{${c.sel}}[${c.rateWindow}])))`,
    legend: label("priority_level"),
  }),
};

// No coverage check on the rejected counter itself: it has no series until the first rejection since the API server
// started, so its absence means nothing was rejected.
const apfRejections: PanelDef = {
  id: "apf-rejections",
  title: "APF rejections by priority level and reason",
  description:
    "Requests API Priority and Fairness turned away with 429, per priority level and reason (queue-full, concurrency-limit, time-out).",
  unit: "reqps",
  coverage: needs(),
  emptyMessage: () => NO_REJECTIONS,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (priority_level, reason) (rate(${APF_METRICS.rejected}{${c.sel}}[${c.rateWindow}]))`,
    legend: (l) => `${l.priority_level ?? "?"} · ${l.reason ?? "?"}`,
  }),
};

const apfDispatchRate: PanelDef = {
  id: "apf-dispatch-rate",
  title: "APF dispatch rate by priority level",
  description: "Requests per second each priority level let through to execute, across the API servers in view.",
  unit: "reqps",
  coverage: needs(metric(APF_METRICS.dispatched, NO_APF_DISPATCHED)),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (priority_level) (rate(${APF_METRICS.dispatched}{${c.sel}}[${c.rateWindow}]))`,
    legend: label("priority_level"),
  }),
};

const apfFlowSchemaDispatched: PanelDef = {
  id: "apf-flow-schema-dispatched",
  title: "APF dispatch rate by flow schema",
  description:
    "Requests per second each flow schema dispatched, with the priority level it maps to: the metrics' own coarse view of who is calling.",
  unit: "reqps",
  coverage: needs(metric(APF_METRICS.dispatched, NO_APF_DISPATCHED)),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (flow_schema, priority_level) (rate(${APF_METRICS.dispatched}{${c.sel}}[${c.rateWindow}]))`,
    legend: flowLegend,
  }),
};

const apfFlowSchemaRejected: PanelDef = {
  id: "apf-flow-schema-rejected",
  title: "APF rejections by flow schema",
  description:
    "Requests per second APF rejected with 429, per flow schema and the priority level it maps to: whose requests are turned away.",
  unit: "reqps",
  coverage: needs(),
  emptyMessage: () => NO_REJECTIONS,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (flow_schema, priority_level) (rate(${APF_METRICS.rejected}{${c.sel}}[${c.rateWindow}]))`,
    legend: flowLegend,
  }),
};

/** The window's average per flow schema, as bars (beside the audit view on the Load page). */
const apfByFlowSchema: PanelDef = {
  id: "apf-flow-schemas",
  title: "APF requests by flow schema",
  description:
    "Average requests per second each APF flow schema dispatched over the window: the metrics' own coarse view of who is calling.",
  unit: "reqps",
  coverage: needs(),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "instant",
    promql: `topk(15, sum by (flow_schema, priority_level) (rate(${APF_METRICS.dispatched}{${c.sel}}[${c.rangeWindow}])))`,
    legend: flowLegend,
  }),
};

/** The APF page, in screen order: priority levels, then flow schemas. */
export const APF_PANELS: readonly PanelDef[] = [
  apfSeatUtilisation,
  apfExecutingQueued,
  apfQueueWait,
  apfRejections,
  apfDispatchRate,
  apfFlowSchemaDispatched,
  apfFlowSchemaRejected,
];

export { apfSeatUtilisation, apfQueueWait, apfRejections, apfByFlowSchema };
