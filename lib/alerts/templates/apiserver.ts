// kube-apiserver templates: errors, latency, terminations, in-flight load, LIST/WATCH surges, error-budget burn,
// reachability and memory. Metric names are chosen per Kubernetes version from what the connected Prometheus has.
import {
  ALL_VERSIONS,
  APISERVER_SELECTOR_HELP,
  define,
  numberParam,
  ratioParam,
  sel,
  selectorParam,
  windowParam,
  type Names,
  type Values,
} from "./shared";
import type { RecordingRule } from "../rules";
import type { AlertTemplate } from "./types";

const MIXIN = "kubernetes-mixin (kube-prometheus manifests/kubernetesControlPlane-prometheusRule.yaml @ 4d719f1d, mixin @ aa38e2bf)";
const AWESOME = "awesome-prometheus-alerts _data/rules.yml @ a8533189 (samber, CC BY 4.0)";
const METRICS_GO = "kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/metrics/metrics.go";

/** The `up` and process series of the API servers: with no selector, every target would match. */
const TARGET_FALLBACK = 'job=~"apiserver|kube-apiserver"';
const TARGET_HELP = `Matchers selecting the kube-apiserver scrape targets; empty means ${TARGET_FALLBACK}.`;
const target = (v: Values) => v.matchers() || TARGET_FALLBACK;

function surge(id: string, alert: string, offset: string, title: string): AlertTemplate {
  return define({
    id,
    area: "apiserver",
    alert,
    title,
    summary: "LIST or WATCH requests for a resource rose sharply against the same window earlier.",
    description:
      "{{ $labels.verb }} requests for {{ $labels.resource }} run at {{ $value | humanize }} times their rate of the same window earlier.",
    runbook:
      "A sudden rise of LIST or WATCH requests for one resource usually comes from one client: a controller that lost its informer cache, a crash-looping operator, or a script listing in a loop. " +
      "Open apiscope's Load page for the resource to see which client sends the extra requests, and check the APF page for throttling of its priority level. " +
      "Scale the client down, fix its informer or resync settings, or give it a FlowSchema with a lower priority level until it behaves. " +
      "The rule compares with data from the offset earlier: while Prometheus holds less history than that, it stays quiet.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "factor",
    unit: "none",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      numberParam("factor", "Times the earlier rate", 3, "none"),
      numberParam("minRate", "Ignore resources below (req/s)", 1, "reqps", "So that idle resources do not alert on a few requests."),
      { key: "offset", label: "Compared with", kind: "duration", default: offset, help: "How long before the current window the baseline window is." },
      windowParam("5m"),
    ],
    sources: [METRICS_GO, "kubernetes-facts §3: apiserver_request_total verbs (WATCHLIST reported as WATCH)"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = sel(n.pick("apiserver_request_total"), v.matchers(), 'verb=~"LIST|WATCH"');
      const w = v.dur("window");
      const now = `sum by (cluster, verb, resource) (rate(${m}[${w}]))`;
      const before = `sum by (cluster, verb, resource) (rate(${m}[${w}] offset ${v.dur("offset")}))`;
      return `(${now} / ${before} and (${now} > ${v.lit("minRate")})) > ${v.lit("factor")}`;
    },
  });
}

/** The legacy requestKind label (≤ 1.18) is copied to request_kind, so one expression serves both. */
function inflightSeries(n: Names, s: string): string {
  const m = sel(n.pick("apiserver_current_inflight_requests"), s);
  // APF families appear with 1.19, the release that renamed the label; without them the label may be the old one.
  return n.hasPrefix("apiserver_flowcontrol_") ? m : `label_replace(${m}, "request_kind", "$1", "requestKind", "(.+)")`;
}

// Error-budget burn as kubernetes-mixin computes it: 30-day availability SLO, a request is bad when it fails with a
// 5xx or is slower than its scope allows (reads: 1s resource, 5s namespace, 30s cluster; writes: 1s).
const READ = 'verb=~"LIST|GET"';
const WRITE = 'verb=~"POST|PUT|PATCH|DELETE"';
const NOT_STREAMING = 'subresource!~"proxy|attach|log|exec|portforward"';
const le = (seconds: number) => `le=~"${seconds}(\\\\.0)?"`;

function burnRecords(n: Names, s: string, windows: readonly string[]): RecordingRule[] {
  const total = n.pick("apiserver_request_total");
  // The SLI histogram leaves out webhook and APF queue time; older servers only have the whole request duration.
  const bucket = n.pick("apiserver_request_sli_duration_seconds_bucket", "apiserver_request_slo_duration_seconds_bucket", "apiserver_request_duration_seconds_bucket");
  const count = bucket.replace(/_bucket$/, "_count");
  const rate = (metric: string, w: string, ...extra: string[]) => `sum by (cluster) (rate(${sel(metric, s, ...extra)}[${w}]))`;
  return windows.flatMap((w) => {
    const slowReads = `${rate(count, w, READ, NOT_STREAMING)} - ((${rate(bucket, w, READ, NOT_STREAMING, 'scope=~"resource|"', le(1))} or vector(0)) + ${rate(bucket, w, READ, NOT_STREAMING, 'scope="namespace"', le(5))} + ${rate(bucket, w, READ, NOT_STREAMING, 'scope="cluster"', le(30))})`;
    const slowWrites = `${rate(count, w, WRITE, NOT_STREAMING)} - ${rate(bucket, w, WRITE, NOT_STREAMING, le(1))}`;
    const ratio = (slow: string, verbs: string) => `((${slow}) + ${rate(total, w, verbs, 'code=~"5.."')}) / ${rate(total, w, verbs)}`;
    return [
      { record: `apiserver_request:burnrate${w}`, expr: ratio(slowReads, READ), labels: { verb: "read" } },
      { record: `apiserver_request:burnrate${w}`, expr: ratio(slowWrites, WRITE), labels: { verb: "write" } },
    ];
  });
}

function burn(id: string, alert: string, pairs: ReadonlyArray<[long: string, short: string, factor: number]>, fast: boolean): AlertTemplate {
  return define({
    id,
    area: "apiserver",
    alert,
    title: fast ? "Error budget burning fast (1h/5m, 6h/30m)" : "Error budget burning slowly (1d/2h, 3d/6h)",
    summary: fast ? "The API servers burn their error budget fast." : "The API servers burn their error budget steadily.",
    description: "{{ $value | humanizePercentage }} of API requests failed or were too slow over the long window; the SLO allows far less.",
    runbook:
      "Requests fail with 5xx or exceed their latency objective often enough to use up the 30-day error budget " +
      (fast ? "within days: act now. " : "before the month ends. ") +
      "Split the burn by read and write with the apiserver_request:burnrate records, then find the verb, resource and client on apiscope's Overview and Load pages. " +
      "Typical causes are slow etcd, slow admission webhooks, unavailable aggregated APIs and expensive LISTs; the etcd, webhook and latency alerts of this library narrow it down.",
    severity: fast ? "critical" : "warning",
    for: fast ? "2m" : "1h",
    keepFiringFor: "",
    unit: "ratio",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      { key: "objective", label: "Availability objective", kind: "number", default: 0.99, unit: "ratio", min: 0.5, max: 0.99999, help: "Share of good requests over 30 days." },
    ],
    sources: [`${MIXIN}: kube-apiserver-slos KubeAPIErrorBudgetBurn and kube-apiserver-burnrate.rules`, "Google SRE Workbook, Alerting on SLOs: multiwindow, multi-burn-rate alerts"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const budget = `(1 - ${v.lit("objective")})`;
      const records = burnRecords(n, v.matchers(), [...new Set(pairs.flatMap(([long, short]) => [long, short]))]);
      const over = (w: string, f: number) => `sum by (cluster) (apiserver_request:burnrate${w}) > (${f} * ${budget})`;
      const expr = pairs.map(([long, short, f]) => `(${over(long, f)} and on (cluster) ${over(short, f)})`).join(" or ");
      return { expr, records };
    },
  });
}

const BURN_TEMPLATES = [
  burn("apiserver-error-budget-burn-fast", "KubeAPIErrorBudgetBurnFast", [["1h", "5m", 14.4], ["6h", "30m", 6]], true),
  burn("apiserver-error-budget-burn-slow", "KubeAPIErrorBudgetBurnSlow", [["1d", "2h", 3], ["3d", "6h", 1]], false),
];

export const APISERVER_TEMPLATES: AlertTemplate[] = [
  define({
    id: "apiserver-5xx-ratio",
    area: "apiserver",
    alert: "KubeAPIServer5xxRatioHigh",
    title: "API server 5xx ratio",
    summary: "An API server answers too many requests with a server error.",
    description: "{{ $labels.instance }} answered {{ $value | humanizePercentage }} of its requests with a 5xx code.",
    runbook:
      "Check the API server's logs for panics, etcd timeouts and failing aggregated APIs or webhooks, then the etcd alerts of this library. " +
      "Break the errors down by verb, resource and code on apiscope's Overview page: 503s often come from an unavailable aggregated API (metrics-server), 500s and 504s from etcd or webhook timeouts. " +
      "Restore the failing dependency; if one client causes the load, throttle it with APF.",
    severity: "critical",
    for: "2m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [selectorParam(APISERVER_SELECTOR_HELP), ratioParam("ratio", "5xx ratio above", 0.03), windowParam("5m")],
    sources: [`${AWESOME}: Kubernetes API server errors (3%, 2m, critical)`, METRICS_GO],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = n.pick("apiserver_request_total");
      const s = v.matchers();
      const w = v.dur("window");
      return `sum by (cluster, instance) (rate(${sel(m, s, 'code=~"5.."')}[${w}])) / sum by (cluster, instance) (rate(${sel(m, s)}[${w}])) > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "apiserver-429-ratio",
    area: "apiserver",
    alert: "KubeAPIServerThrottling",
    title: "API server answering 429 (throttling)",
    summary: "The API servers turn away a share of requests with 429 Too Many Requests.",
    description: "{{ $labels.cluster }}: {{ $value | humanizePercentage }} of API requests were answered 429.",
    runbook:
      "429s come from API Priority and Fairness (or max-inflight limits without APF): some priority level is out of seats. Clients retry, which adds load, so a storm feeds itself. " +
      "On apiscope's APF page find the level that rejects and its flow schemas; on the Load page the client that fills it. " +
      "Throttle or scale down that client, or give it a FlowSchema of its own so the others recover.",
    severity: "warning",
    for: "5m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [selectorParam(APISERVER_SELECTOR_HELP), ratioParam("ratio", "429 ratio above", 0.01), windowParam("5m")],
    sources: [METRICS_GO, "Kubernetes docs: API Priority and Fairness (rejected requests get HTTP 429)"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = n.pick("apiserver_request_total");
      const s = v.matchers();
      const w = v.dur("window");
      return `sum by (cluster) (rate(${sel(m, s, 'code="429"')}[${w}])) / sum by (cluster) (rate(${sel(m, s)}[${w}])) > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "apiserver-latency-p99",
    area: "apiserver",
    alert: "KubeAPIServerLatencyHigh",
    title: "API server p99 latency by verb",
    summary: "API requests of one verb are slow.",
    description: "The 99th percentile latency of {{ $labels.verb }} requests is {{ $value | humanizeDuration }}.",
    runbook:
      "Find the slow resource and client on apiscope's Load page: large LISTs without resourceVersion=0, served from etcd, are the usual cause for LIST; slow admission webhooks for writes. " +
      "Check the etcd request latency and webhook latency alerts, and APF queue wait (time in the queue counts here). " +
      "Mitigate by fixing the client's list pattern, paginating, or moving it to a lower priority level.",
    severity: "warning",
    for: "2m",
    keepFiringFor: "",
    thresholdParam: "seconds",
    unit: "seconds",
    params: [selectorParam(APISERVER_SELECTOR_HELP), numberParam("seconds", "p99 above (s)", 1, "seconds"), windowParam("10m")],
    sources: [`${AWESOME}: Kubernetes API server latency (p99 > 1s excluding CONNECT|WATCHLIST|WATCH|PROXY, 2m, warning)`, METRICS_GO],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = sel(n.pick("apiserver_request_duration_seconds_bucket"), v.matchers(), 'verb!~"WATCH|WATCHLIST|CONNECT|PROXY"');
      return `histogram_quantile(0.99, sum by (cluster, verb, le) (rate(${m}[${v.dur("window")}]))) > ${v.lit("seconds")}`;
    },
  }),
  define({
    id: "apiserver-terminated-requests",
    area: "apiserver",
    alert: "KubeAPITerminatedRequests",
    title: "API server terminated requests ratio",
    summary: "The API servers terminate a large share of incoming requests.",
    description: "The API servers terminated {{ $value | humanizePercentage }} of their incoming requests.",
    runbook:
      "Terminated requests were cut off by the server itself: rejected by APF (429) or timed out. " +
      "Look at apiscope's APF page for the priority levels that reject and the flow schemas sending to them, and at the Load page for the clients behind them. " +
      "Reduce the offending client's load or raise the level's share; if every level is saturated, the API servers need more capacity.",
    severity: "warning",
    for: "5m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [selectorParam(APISERVER_SELECTOR_HELP), ratioParam("ratio", "Terminated ratio above", 0.2), windowParam("10m")],
    sources: [`${MIXIN}: KubeAPITerminatedRequests (> 0.20 over 10m, for 5m, warning)`, `${AWESOME}: Kubernetes API server terminating requests`],
    versions: ["1.17", "1.27", "1.31", "1.34"],
    make(v, n) {
      const total = n.pick("apiserver_request_total");
      const terminated = n.eventual("apiserver_request_terminations_total", total);
      const s = v.matchers();
      const w = v.dur("window");
      const t = `sum by (cluster) (rate(${sel(terminated, s)}[${w}]))`;
      return `${t} / (sum by (cluster) (rate(${sel(total, s)}[${w}])) + ${t}) > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "apiserver-inflight-near-limit",
    area: "apiserver",
    alert: "KubeAPIServerInflightNearLimit",
    title: "In-flight requests near the server's limit",
    summary: "An API server runs close to its limit of concurrent requests.",
    description: "{{ $labels.instance }} runs {{ $labels.request_kind }} requests at {{ $value | humanizePercentage }} of its in-flight limit.",
    runbook:
      "The limits are the kube-apiserver flags --max-requests-inflight (read-only) and --max-mutating-requests-inflight; with APF they are the seats shared by all priority levels. " +
      "Near the limit, new requests queue or get 429s: check apiscope's APF page for queueing and rejections, and the Load page for the clients driving the concurrency. " +
      "Throttle the heaviest client, or raise the limits if the control-plane nodes have headroom.",
    severity: "warning",
    for: "15m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      ratioParam("ratio", "Share of the limit above", 0.8),
      { key: "readOnlyLimit", label: "Read-only limit", kind: "number", default: 400, unit: "count", min: 1, help: "--max-requests-inflight" },
      { key: "mutatingLimit", label: "Mutating limit", kind: "number", default: 200, unit: "count", min: 1, help: "--max-mutating-requests-inflight" },
    ],
    sources: ["kube-apiserver flags --max-requests-inflight=400, --max-mutating-requests-inflight=200 (defaults)", "kubernetes-facts §3, §8: request_kind (requestKind ≤ 1.18)"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const limits = `(label_replace(vector(${v.lit("readOnlyLimit")}), "request_kind", "readOnly", "", "") or label_replace(vector(${v.lit("mutatingLimit")}), "request_kind", "mutating", "", ""))`;
      return `sum by (cluster, instance, request_kind) (${inflightSeries(n, v.matchers())}) / on (request_kind) group_left () ${limits} > ${v.lit("ratio")}`;
    },
  }),
  surge("apiserver-list-watch-surge-1d", "KubeAPIServerListWatchSurgeDaily", "1d", "LIST/WATCH surge against a day before"),
  surge("apiserver-list-watch-surge-1h", "KubeAPIServerListWatchSurgeHourly", "1h", "LIST/WATCH surge against an hour before"),
  ...BURN_TEMPLATES,
  define({
    id: "apiserver-down",
    area: "apiserver",
    alert: "KubeAPIDown",
    title: "API server target missing",
    summary: "Prometheus has no API server target.",
    description: "No API server target has been discovered by Prometheus.",
    runbook:
      "Prometheus lost the API server from target discovery, so every API server alert is blind. " +
      "Check the scrape configuration or ServiceMonitor, the kubernetes Service in the default namespace and its endpoints, and Prometheus' service-discovery page. " +
      "If the API servers themselves are down, use the control-plane nodes' logs (kubelet, static pod manifests, etcd) directly.",
    severity: "critical",
    for: "15m",
    keepFiringFor: "",
    unit: "none",
    params: [selectorParam(TARGET_HELP)],
    sources: [`${MIXIN}: KubeAPIDown (absent(up), for 15m, critical)`],
    versions: ALL_VERSIONS,
    make(v, n) {
      return `absent(${sel(n.pick("up"), target(v))})`;
    },
  }),
  define({
    id: "apiserver-instance-unreachable",
    area: "apiserver",
    alert: "KubeAPIInstanceUnreachable",
    title: "API server instance unreachable",
    summary: "Prometheus cannot scrape an API server instance.",
    description: "{{ $labels.instance }} could not be scraped.",
    runbook:
      "One API server does not answer Prometheus' scrape: it may be down, restarting, overloaded or unreachable on the network. " +
      "Check the instance's static pod and logs on its control-plane node, its /readyz, and whether the load balancer still sends traffic to it. " +
      "If it is overloaded, look at the Overview and APF pages for the requests it is busy with.",
    severity: "warning",
    for: "15m",
    keepFiringFor: "",
    unit: "none",
    params: [selectorParam(TARGET_HELP)],
    sources: [`${MIXIN}: KubeAPIInstanceUnreachable (up == 0, for 15m, warning)`],
    versions: ALL_VERSIONS,
    make(v, n) {
      return `${sel(n.pick("up"), target(v))} == 0`;
    },
  }),
  define({
    id: "apiserver-memory-growth",
    area: "apiserver",
    alert: "KubeAPIServerMemoryGrowth",
    title: "API server memory predicted above a limit",
    summary: "An API server's memory is predicted to exceed its limit soon.",
    description: "{{ $labels.instance }} is predicted to use {{ $value | humanize }}B of resident memory.",
    runbook:
      "kube-apiserver memory grows with the watch cache (object count and size), with large LIST responses it builds in memory, and with the number of watchers. " +
      "Check the object count alert and apiscope's Load page for clients sending LISTs without resourceVersion=0 or opening many watches. " +
      "Fix the client, clean up objects that pile up (events, old ReplicaSets, CRs), or give the control-plane nodes more memory before the server is OOM-killed.",
    severity: "warning",
    for: "30m",
    keepFiringFor: "",
    thresholdParam: "bytes",
    unit: "bytes",
    params: [
      selectorParam(TARGET_HELP),
      numberParam("bytes", "Predicted memory above (bytes)", 8 * 1024 ** 3, "bytes"),
      { key: "lookback", label: "Trend over", kind: "duration", default: "6h" },
      { key: "horizon", label: "Predict ahead", kind: "duration", default: "4h" },
    ],
    sources: ["Prometheus client_golang process collector (process_resident_memory_bytes)", "Prometheus docs: predict_linear"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = sel(n.pick("process_resident_memory_bytes"), target(v));
      return `predict_linear(${m}[${v.dur("lookback")}], ${v.seconds("horizon")}) > ${v.lit("bytes")}`;
    },
  }),
  define({
    id: "apiserver-longrunning-surge",
    area: "apiserver",
    alert: "KubeAPIServerLongRunningSurge",
    title: "Long-running requests (watches) surge",
    summary: "Long-running requests for a resource rose sharply within the hour.",
    description: "Open {{ $labels.verb }} requests for {{ $labels.resource }} are {{ $value | humanize }} times what they were earlier.",
    runbook:
      "Long-running requests are mostly watches: a jump means clients reconnect in a storm or one client opens watches without closing them. " +
      "Find the client on apiscope's Load page (WATCH verb by resource) and check its restarts; a rolling update of a DaemonSet with informers causes short, harmless bumps. " +
      "Fix the leaking client or spread its restarts; watch memory (the memory growth alert) while it lasts.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "factor",
    unit: "none",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      numberParam("factor", "Times the earlier count", 2, "none"),
      numberParam("minCount", "Ignore resources below (requests)", 500, "count"),
      { key: "offset", label: "Compared with", kind: "duration", default: "1h" },
    ],
    sources: ["kubernetes-facts §3, §8: apiserver_longrunning_requests (1.23+) replaced apiserver_longrunning_gauge", METRICS_GO],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = sel(n.pick("apiserver_longrunning_requests", "apiserver_longrunning_gauge"), v.matchers());
      const now = `sum by (cluster, verb, resource) (${m})`;
      const before = `sum by (cluster, verb, resource) (${m} offset ${v.dur("offset")})`;
      return `(${now} / ${before} and (${now} > ${v.lit("minCount")})) > ${v.lit("factor")}`;
    },
  }),
];
