// Per-client templates over the metrics apiscope itself exposes from audit logs (the user's Prometheus scrapes
// apiscope's /metrics): a client's rate, share and 429s, its LISTs that bypass the watch cache, and a new client
// that suddenly sends a large share. The client name is attacker-controlled: it reaches PromQL only as an escaped
// string, and the annotations read it back from the alert's labels.
import { define, numberParam, ratioParam, sel, selectorParam, windowParam, type Values } from "./shared";
import type { AlertTemplate, ParamSpec } from "./types";

const REQUESTS = "apiscope_audit_requests_total";
const LISTS = "apiscope_audit_lists_without_rv0_total";
const SOURCES = ["apiscope lib/audit/client-metrics.ts (apiscope_audit_requests_total, apiscope_audit_lists_without_rv0_total)", "apiscope's earlier per-client rules (thresholds 100 req/s, 30%, 1/s, for 10m)"];
const SELECTOR_HELP = 'Matchers selecting apiscope\'s own series, e.g. job="apiscope"; empty for all.';
const CLIENT: ParamSpec = { key: "client", label: "Client", kind: "labelValue", default: "", help: "The client (user agent) as apiscope labels it; empty for every client." };
const LOAD_PAGE = "Open the client on apiscope's Load page to see its verbs, resources and latency over time.";

/**
 * The chosen client, or every client but "other": that label gathers the many small clients apiscope does not name
 * and is no single client to act on.
 */
const clientMatcher = (v: Values) => v.equals("client", "client") || 'client!="other"';

/** Each chosen client's share of all requests apiscope saw, per cluster. */
function shareOfAll(v: Values, metric: string, clients: string): string {
  const s = v.matchers();
  const w = v.dur("window");
  return `sum by (cluster, client) (rate(${sel(metric, s, clients)}[${w}])) / ignoring (client) group_left sum by (cluster) (rate(${sel(metric, s)}[${w}]))`;
}

export const CLIENT_TEMPLATES: AlertTemplate[] = [
  define({
    id: "client-request-rate",
    area: "clients",
    alert: "APIServerClientRequestRateHigh",
    title: "Client request rate",
    summary: "An API-server client sends more requests than expected.",
    description: "{{ $labels.client }} sends {{ $value | humanize }} requests/s to the API servers.",
    runbook:
      `A client sending far more than usual is the most common cause of API server overload. ${LOAD_PAGE} ` +
      "Check whether it restarts in a loop, relists instead of watching, or polls; compare with its rate a day before. " +
      "Scale it down or fix it; meanwhile a FlowSchema can put it on a priority level of its own so it cannot starve others (see the APF page).",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [selectorParam(SELECTOR_HELP), CLIENT, numberParam("rate", "Requests above (req/s)", 100, "reqps"), windowParam("5m")],
    sources: SOURCES,
    versions: [],
    make(v, n) {
      const m = sel(n.pick(REQUESTS), v.matchers(), clientMatcher(v));
      return `sum by (cluster, client) (rate(${m}[${v.dur("window")}])) > ${v.lit("rate")}`;
    },
  }),
  define({
    id: "client-share",
    area: "clients",
    alert: "APIServerClientShareHigh",
    title: "Client share of all requests",
    summary: "One client takes a large share of all API-server requests.",
    description: "{{ $labels.client }} sends {{ $value | humanizePercentage }} of all API-server requests.",
    runbook:
      `One client dominating the request mix leaves the API servers little room for everyone else. ${LOAD_PAGE} ` +
      "Decide whether the share is expected (a large controller after a rollout) or a fault (a loop, a relist storm). " +
      "Fix or throttle the client; check the APF page for whether its priority level is already queueing.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "share",
    unit: "ratio",
    params: [selectorParam(SELECTOR_HELP), CLIENT, ratioParam("share", "Share above", 0.3), windowParam("5m")],
    sources: SOURCES,
    versions: [],
    make(v, n) {
      return `${shareOfAll(v, n.pick(REQUESTS), clientMatcher(v))} > ${v.lit("share")}`;
    },
  }),
  define({
    id: "client-throttled",
    area: "clients",
    alert: "APIServerClientThrottled",
    title: "Client throttled (429s)",
    summary: "API Priority and Fairness rejects a client's requests.",
    description: "{{ $labels.client }} gets {{ $value | humanize }} 429s per second from the API servers.",
    runbook:
      `The API servers reject the client's requests with 429 because its priority level is full. ${LOAD_PAGE} ` +
      "On the APF page find its flow schema and priority level, and whether the level is full because of this client or others. " +
      "Slow the client (client-side QPS and burst), or give it a level with enough seats if its load is legitimate.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [selectorParam(SELECTOR_HELP), CLIENT, numberParam("rate", "429s above (per s)", 1, "reqps"), windowParam("5m")],
    sources: SOURCES,
    versions: [],
    make(v, n) {
      const m = sel(n.pick(REQUESTS), v.matchers(), clientMatcher(v), 'code_class="429"');
      return `sum by (cluster, client) (rate(${m}[${v.dur("window")}])) > ${v.lit("rate")}`;
    },
  }),
  define({
    id: "client-lists-without-rv0",
    area: "clients",
    alert: "APIServerClientListsFromEtcd",
    title: "Client LISTs without resourceVersion=0",
    summary: "A client sends many LISTs that bypass the watch cache.",
    description: "{{ $labels.client }} sends {{ $value | humanize }} LISTs/s of {{ $labels.resource }} without resourceVersion=0.",
    runbook:
      "A LIST without resourceVersion=0 (and without a continue token or resourceVersionMatch) is served from etcd, not the watch cache: expensive for etcd and the API server's memory. " +
      `${LOAD_PAGE} ` +
      "Change the client to use informers, or to list with resourceVersion=0 and pagination; until then, throttle it with APF.",
    severity: "warning",
    for: "15m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [selectorParam(SELECTOR_HELP), CLIENT, numberParam("rate", "LISTs above (per s)", 1, "reqps"), windowParam("5m")],
    sources: [...SOURCES, "Kubernetes docs: API Concepts, semantics for get and list (resourceVersion unset vs 0)"],
    versions: [],
    make(v, n) {
      const m = sel(n.pick(LISTS), v.matchers(), clientMatcher(v));
      return `sum by (cluster, client, resource) (rate(${m}[${v.dur("window")}])) > ${v.lit("rate")}`;
    },
  }),
  define({
    id: "client-new-large-share",
    area: "clients",
    alert: "APIServerNewClientLargeShare",
    title: "New client with a large share",
    summary: "A client that was (nearly) silent earlier now sends a large share of all requests.",
    description: "{{ $labels.client }}, quiet in the same window earlier, now sends {{ $value | humanizePercentage }} of all API-server requests.",
    runbook:
      "A new tool, operator or script started sending a large part of the API traffic. " +
      `${LOAD_PAGE} ` +
      "Find who deployed it (the audit log's user for the client), confirm it is expected, and tune or throttle it before it crowds out the controllers.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "share",
    unit: "ratio",
    params: [
      selectorParam(SELECTOR_HELP),
      ratioParam("share", "Share above", 0.2),
      numberParam("quietBelow", "Quiet earlier below (req/s)", 0.1, "reqps"),
      { key: "offset", label: "Compared with", kind: "duration", default: "1d" },
      windowParam("10m"),
    ],
    sources: SOURCES,
    versions: [],
    make(v, n) {
      const metric = n.pick(REQUESTS);
      const s = v.matchers();
      const w = v.dur("window");
      const share = shareOfAll(v, metric, 'client!="other"');
      const before = `sum by (cluster, client) (rate(${sel(metric, s)}[${w}] offset ${v.dur("offset")})) > ${v.lit("quietBelow")}`;
      return `(${share} unless on (cluster, client) (${before})) > ${v.lit("share")}`;
    },
  }),
];
