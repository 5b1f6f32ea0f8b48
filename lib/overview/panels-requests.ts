// The control-plane overview: one definition per panel, each choosing its PromQL from the metric schema. The APF
// panels live in lib/apf/panels.ts.
import { label, NO_REQUEST_METRICS, noEmpty, requireMetric, type PanelDef } from "./panel-def";
/** Long-running verbs whose duration is the watch's lifetime, not latency. */
const LONG_RUNNING_VERBS = "WATCH|WATCHLIST|CONNECT|PROXY";

const quantiles = (inner: string, by: string) =>
  `label_replace(histogram_quantile(0.99, sum by (${by}, le) (${inner})), "quantile", "p99", "", "")` +
  ` or label_replace(histogram_quantile(0.5, sum by (${by}, le) (${inner})), "quantile", "p50", "", "")`;

const requestsByVerb: PanelDef = {
  id: "requests-by-verb",
  title: "Request rate by verb",
  description: "Requests per second the API servers completed, by verb. A LIST or WATCH surge is the usual signature of a misbehaving client.",
  unit: "reqps",
  coverage: requireMetric("apiserver_request_total", NO_REQUEST_METRICS),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: `sum by (verb) (rate(apiserver_request_total{${c.sel}}[${c.rateWindow}]))`,
    legend: label("verb"),
  }),
};

const requestsByCode: PanelDef = {
  id: "requests-by-code",
  title: "Request rate by response code",
  description: "Requests per second by code class; 429 (rejected by API Priority and Fairness) is split out from the other 4xx.",
  unit: "reqps",
  coverage: requireMetric("apiserver_request_total", NO_REQUEST_METRICS),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    stacked: true,
    promql:
      `sum by (code_class) (label_replace(label_replace(rate(apiserver_request_total{${c.sel}}[${c.rateWindow}]),` +
      ` "code_class", "\${1}xx", "code", "([1-5])[0-9][0-9]"), "code_class", "429", "code", "429"))`,
    legend: label("code_class", "other"),
  }),
};

const latencyByVerb: PanelDef = {
  id: "latency-by-verb",
  title: "Request latency by verb (p99, p50)",
  description: "Latency quantiles from the summed histogram rates of all API servers in view, without WATCH/CONNECT whose duration is a connection's lifetime.",
  unit: "seconds",
  coverage: requireMetric("apiserver_request_duration_seconds_bucket", NO_REQUEST_METRICS),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: quantiles(
      `rate(apiserver_request_duration_seconds_bucket{verb!~"${LONG_RUNNING_VERBS}",${c.sel}}[${c.rateWindow}])`,
      "verb",
    ),
    legend: (l) => `${l.verb ?? "(none)"} ${l.quantile ?? ""}`.trim(),
    role: (l) => (l.quantile === "p50" ? "secondary" : undefined),
  }),
};

const inflight: PanelDef = {
  id: "inflight",
  title: "In-flight requests vs limit (busiest API server)",
  description: "Requests executing right now on the busiest API server, read-only and mutating, against the server's concurrency limit.",
  unit: "count",
  coverage: (s) => (s.requestKindLabel ? null : "This Prometheus has no apiserver_current_inflight_requests — scrape the kube-apiserver /metrics endpoint"),
  emptyMessage: noEmpty,
  build: (s, c) => {
    const kind = s.requestKindLabel ?? "request_kind";
    const current = `max by (${kind}) (apiserver_current_inflight_requests{${c.sel}})`;
    // With APF the server's limit is the sum of its priority levels' seats; without it, the two flags.
    const limit = s.apfLimitMetric
      ? ` or label_replace(max(sum by (${c.targetLabels}) (${s.apfLimitMetric}{${c.sel}})), "${kind}", "limit (APF seats)", "", "")`
      : "";
    return {
      kind: "range",
      promql: current + limit,
      legend: label(kind),
      role: (l) => (l[kind]?.startsWith("limit") ? "limit" : undefined),
      thresholds: s.apfLimitMetric
        ? []
        : [
            { name: "max-requests-inflight", value: c.inflightLimits.readOnly },
            { name: "max-mutating-requests-inflight", value: c.inflightLimits.mutating },
          ],
    };
  },
};

export { requestsByVerb, requestsByCode, latencyByVerb, inflight };
