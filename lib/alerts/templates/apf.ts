// API Priority and Fairness templates: rejections, queue wait, seats near the nominal limit, and a level that
// rejects while others sit idle (its share is too small, not the server).
import { APF_VERSIONS, APISERVER_SELECTOR_HELP, LEVEL_PARAM, define, numberParam, ratioParam, sel, selectorParam, windowParam, type Names } from "./shared";
import type { AlertTemplate } from "./types";

const APF_GO = "kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/util/flowcontrol/metrics/metrics.go";
const FACTS = "kubernetes-facts §3, §5, §8: APF metrics (nominal_limit_seats 1.26+, request_concurrency_limit 1.20–1.30, current_executing_seats 1.28+)";
const APF_RUNBOOK_TAIL =
  "apiscope's APF page shows each level's seats, queue and rejections and the flow schemas that feed it; its Load page shows which clients send the requests.";

/** Seats (or requests, before 1.28) executing per level over its nominal limit, per API server. */
function utilisation(n: Names, s: string): string {
  const executing = n.pick("apiserver_flowcontrol_current_executing_seats", "apiserver_flowcontrol_current_executing_requests");
  const limit = n.pick("apiserver_flowcontrol_nominal_limit_seats", "apiserver_flowcontrol_request_concurrency_limit");
  // The exempt level has no limit (0 seats): dividing by it means nothing.
  return `sum by (cluster, instance, priority_level) (${sel(executing, s)}) / sum by (cluster, instance, priority_level) (${sel(limit, s, 'priority_level!="exempt"')})`;
}

const rejected = (n: Names) => n.eventual("apiserver_flowcontrol_rejected_requests_total", "apiserver_flowcontrol_dispatched_requests_total");

export const APF_TEMPLATES: AlertTemplate[] = [
  define({
    id: "apf-rejections",
    area: "apf",
    alert: "KubeAPFRequestsRejected",
    title: "APF rejects requests",
    summary: "API Priority and Fairness rejects requests of a priority level.",
    description: "Priority level {{ $labels.priority_level }} rejects {{ $value | humanize }} requests/s ({{ $labels.reason }}).",
    runbook:
      "Rejected requests get 429 and clients retry, adding load. The reason tells why: queue-full and concurrency-limit mean the level has too few seats for its demand, time-out means requests waited too long in the queue. " +
      APF_RUNBOOK_TAIL +
      " Slow the noisy client, move it to its own FlowSchema, or raise the level's nominalConcurrencyShares.",
    severity: "warning",
    for: "5m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [selectorParam(APISERVER_SELECTOR_HELP), LEVEL_PARAM, numberParam("rate", "Rejections above (req/s)", 0.1, "reqps"), windowParam("5m")],
    sources: [APF_GO, FACTS],
    versions: [],
    make(v, n) {
      return `sum by (cluster, priority_level, reason) (rate(${sel(rejected(n), v.matchers(), v.equals("priorityLevel", "priority_level"))}[${v.dur("window")}])) > ${v.lit("rate")}`;
    },
  }),
  define({
    id: "apf-queue-wait-p99",
    area: "apf",
    alert: "KubeAPFQueueWaitHigh",
    title: "APF queue wait p99 by priority level",
    summary: "Requests wait long in an APF queue before they run.",
    description: "The 99th percentile queue wait of priority level {{ $labels.priority_level }} is {{ $value | humanizeDuration }}.",
    runbook:
      "Queue wait adds directly to request latency and ends in a time-out rejection when it grows too long. " +
      APF_RUNBOOK_TAIL +
      " Find the flow schema whose requests wait, reduce its heaviest client, or give the level more seats.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "seconds",
    unit: "seconds",
    params: [selectorParam(APISERVER_SELECTOR_HELP), LEVEL_PARAM, numberParam("seconds", "p99 wait above (s)", 1, "seconds"), windowParam("5m")],
    sources: [APF_GO, FACTS],
    versions: APF_VERSIONS,
    make(v, n) {
      const m = sel(n.pick("apiserver_flowcontrol_request_wait_duration_seconds_bucket"), v.matchers(), v.equals("priorityLevel", "priority_level"));
      return `histogram_quantile(0.99, sum by (cluster, priority_level, le) (rate(${m}[${v.dur("window")}]))) > ${v.lit("seconds")}`;
    },
  }),
  define({
    id: "apf-seats-near-limit",
    area: "apf",
    alert: "KubeAPFSeatsNearLimit",
    title: "APF seats in use near the nominal limit",
    summary: "A priority level uses nearly all of its nominal seats.",
    description: "Priority level {{ $labels.priority_level }} on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its nominal seats.",
    runbook:
      "At its nominal limit a level queues requests; it can borrow seats from other levels only as far as their lendablePercent allows. " +
      APF_RUNBOOK_TAIL +
      " If the demand is legitimate, raise the level's nominalConcurrencyShares; otherwise slow the client that fills it.",
    severity: "warning",
    for: "15m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [selectorParam(APISERVER_SELECTOR_HELP), LEVEL_PARAM, ratioParam("ratio", "Share of nominal seats above", 0.9)],
    sources: [APF_GO, FACTS],
    versions: APF_VERSIONS,
    make(v, n) {
      const level = v.equals("priorityLevel", "priority_level");
      return `${utilisation(n, [v.matchers(), level].filter(Boolean).join(","))} > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "apf-rejecting-while-idle",
    area: "apf",
    alert: "KubeAPFRejectingWhileOthersIdle",
    title: "A level rejects while other levels are idle",
    summary: "A priority level rejects requests while other levels have seats to spare.",
    description: "Priority level {{ $labels.priority_level }} rejects {{ $value | humanize }} requests/s while other levels sit nearly idle.",
    runbook:
      "The server has capacity, but this level's share of it is too small: its nominal seats are spent while others stay unused. " +
      APF_RUNBOOK_TAIL +
      " Raise the level's nominalConcurrencyShares or the idle levels' lendablePercent, or move the client to a FlowSchema of a busier-allowed level.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      numberParam("rate", "Rejections above (req/s)", 0.1, "reqps"),
      ratioParam("idleRatio", "Idle below (share of seats)", 0.2),
      { key: "idleLevels", label: "At least this many idle levels", kind: "number", default: 2, unit: "count", min: 1 },
      windowParam("5m"),
    ],
    sources: [APF_GO, FACTS, "Kubernetes docs: API Priority and Fairness, borrowing (lendablePercent)"],
    versions: [],
    make(v, n) {
      const s = v.matchers();
      const rejecting = `sum by (cluster, priority_level) (rate(${sel(rejected(n), s)}[${v.dur("window")}]))`;
      const idle = `count by (cluster) (max by (cluster, priority_level) (${utilisation(n, s)}) < ${v.lit("idleRatio")}) >= ${v.lit("idleLevels")}`;
      return `(${rejecting} and on (cluster) (${idle})) > ${v.lit("rate")}`;
    },
  }),
];
