// The control-plane overview: one definition per panel, each choosing its PromQL from the metric schema. The APF
// panels live in lib/apf/panels.ts.
import { APF_METRICS, apfInUseMetric } from "../prometheus/apf-metrics";
import type { MetricSchema } from "../prometheus/schema";
import { label, NO_REQUEST_METRICS, noEmpty, requireMetric, type PanelDef } from "../panels/panel-def";
/** The stack of response codes from the bottom: errors first, so each starts at (or near) zero; 5xx is not stacked. */
const CODE_STACK_ORDER = ["429", "4xx", "3xx", "2xx", "1xx", "other", "5xx"];
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
  description:
    "Requests per second by code class, summed over the API servers in view. 429 (amber: throttled by API Priority and " +
    "Fairness) is split out from the other 4xx (violet); 5xx (red: server errors) is a bold line at its own level, never " +
    "stacked, so a few errors are not lifted to the top of the chart. The other classes are stacked with 429 at the " +
    "bottom, so its band also starts at zero; the top of the stack is every request but the 5xx. 2xx teal, 3xx blue.",
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
    role: (l) => (l.code_class === "5xx" ? "unstacked" : undefined),
    order: CODE_STACK_ORDER,
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

const NO_INFLIGHT =
  "This Prometheus has no apiserver_current_inflight_requests nor APF seat metrics (apiserver_flowcontrol_*) — scrape " +
  "the kube-apiserver /metrics endpoint";

// One API server at a time: each server enforces its own limit, so a sum over servers would hide a full one.
const inflight: PanelDef = {
  id: "inflight",
  title: "In flight vs concurrency limit (busiest API server)",
  description:
    "On the busiest API server at each moment, never summed over servers (each enforces its own limit). With API Priority " +
    "and Fairness: the seats its requests occupy in all priority levels but exempt (executing requests before Kubernetes " +
    "1.28; a LIST can hold several seats) against that same server's seat limit (dashed red), the sum of its levels' " +
    "nominal seats = --max-requests-inflight + --max-mutating-requests-inflight. APF splits those seats between priority " +
    "levels, so one level can be full and reject (APF seat utilisation) while this line stays below the limit. Without " +
    "APF metrics: read-only and mutating requests in flight, each on the server with the most, against its own flag.",
  unit: "count",
  coverage: (s) => (apfSeats(s) || s.requestKindLabel ? null : NO_INFLIGHT),
  emptyMessage: noEmpty,
  build: (s, c) => {
    const apf = apfSeats(s);
    if (apf) {
      const T = c.targetLabels;
      const limitPerServer = `sum by (${T}) (${apf.limit}{${c.sel}})`;
      // Exempt levels have no seats and are not held to the limit. A server with nothing executing counts 0.
      const inUsePerServer =
        `(sum by (${T}) (${apf.inUse}{${c.sel}} and on (${T}, priority_level) (${apf.limit}{${c.sel}} > 0))` +
        ` or 0 * ${limitPerServer})`;
      // topk(1) picks one server per step; the limit line is that same server's.
      const busiest = `topk(1, ${inUsePerServer})`;
      const inUseName = apf.inUse === APF_METRICS.executingSeats ? "seats in use" : "requests executing";
      return {
        kind: "range",
        promql:
          `label_replace(max(${busiest}), "series", "${inUseName}", "", "")` +
          ` or label_replace(max(${limitPerServer} and on (${T}) ${busiest}), "series", "${INFLIGHT_LIMIT_SERIES}", "", "")`,
        legend: label("series"),
        role: (l) => (l.series === INFLIGHT_LIMIT_SERIES ? "limit" : undefined),
      };
    }
    const kind = s.requestKindLabel ?? "request_kind";
    return {
      kind: "range",
      // Per kind, the server with the most: each kind has its own limit on every server.
      promql: `max by (${kind}) (apiserver_current_inflight_requests{${c.sel}})`,
      legend: label(kind),
      thresholds: [
        { name: "readOnly limit (--max-requests-inflight)", value: c.inflightLimits.readOnly },
        { name: "mutating limit (--max-mutating-requests-inflight)", value: c.inflightLimits.mutating },
      ],
    };
  },
};

const INFLIGHT_LIMIT_SERIES = "seat limit";

/** The APF seat limit and what occupies it, when this Prometheus has both. */
function apfSeats(s: MetricSchema): { limit: string; inUse: string } | null {
  const inUse = apfInUseMetric(s);
  return s.apfLimitMetric && inUse ? { limit: s.apfLimitMetric, inUse } : null;
}

export { requestsByVerb, requestsByCode, latencyByVerb, inflight };
