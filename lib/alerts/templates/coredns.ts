// CoreDNS templates: SERVFAIL ratio, latency and panics, from CoreDNS' own metrics (names before CoreDNS 1.7 as
// the fallback).
import { define, numberParam, ratioParam, sel, selectorParam, windowParam } from "./shared";
import type { AlertTemplate } from "./types";

const DOCS = "CoreDNS metrics plugin docs (https://coredns.io/plugins/metrics/)";
const AWESOME = "awesome-prometheus-alerts _data/rules.yml @ a8533189 (samber, CC BY 4.0), CoreDNS";
const SELECTOR = 'job=~"coredns|kube-dns"';
const SELECTOR_HELP = "Matchers selecting the CoreDNS series.";

export const COREDNS_TEMPLATES: AlertTemplate[] = [
  define({
    id: "coredns-servfail-ratio",
    area: "coredns",
    alert: "CoreDNSServfailRatioHigh",
    title: "CoreDNS SERVFAIL ratio",
    summary: "CoreDNS answers many queries with SERVFAIL.",
    description: "CoreDNS answers {{ $value | humanizePercentage }} of queries for zone {{ $labels.zone }} with SERVFAIL.",
    runbook:
      "SERVFAIL means CoreDNS could not resolve the name: usually the upstream resolvers behind the forward plugin fail or time out, sometimes the API server connection of the kubernetes plugin is down. " +
      "Check the CoreDNS logs, the forward plugin's upstream health and response codes, and the CoreDNS pods' CPU and memory. " +
      "Fix or replace the failing upstream, and scale CoreDNS (or enable NodeLocal DNSCache) if it is overloaded.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [selectorParam(SELECTOR_HELP, SELECTOR), ratioParam("ratio", "SERVFAIL ratio above", 0.01), windowParam("5m")],
    sources: [DOCS, `${AWESOME}: CoreDNS SERVFAIL Error Rate High (1%, 10m, warning)`],
    versions: [],
    make(v, n) {
      const m = n.pick("coredns_dns_responses_total", "coredns_dns_response_rcode_count_total");
      const s = v.matchers();
      const w = v.dur("window");
      return `sum by (cluster, job, server, zone) (rate(${sel(m, s, 'rcode="SERVFAIL"')}[${w}])) / sum by (cluster, job, server, zone) (rate(${sel(m, s)}[${w}])) > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "coredns-latency-p99",
    area: "coredns",
    alert: "CoreDNSLatencyHigh",
    title: "CoreDNS p99 latency",
    summary: "CoreDNS answers slowly.",
    description: "The 99th percentile of CoreDNS answers for server {{ $labels.server }}, zone {{ $labels.zone }} is {{ $value | humanizeDuration }}.",
    runbook:
      "Clients usually time out after 5 s and retry, so slow answers turn into failed lookups and extra load. " +
      "Check the upstream resolvers' latency (forward plugin), the cache hit ratio, and the CoreDNS pods' CPU throttling. " +
      "Add CoreDNS replicas, raise the cache TTL, or use NodeLocal DNSCache; reduce ndots-driven search-path queries from busy clients.",
    severity: "critical",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "seconds",
    unit: "seconds",
    params: [selectorParam(SELECTOR_HELP, SELECTOR), numberParam("seconds", "p99 above (s)", 4, "seconds"), windowParam("5m")],
    sources: [DOCS, `${AWESOME}: CoreDNS High Query Latency (p99 > 4s, 10m, critical)`],
    versions: [],
    make(v, n) {
      const m = sel(n.pick("coredns_dns_request_duration_seconds_bucket"), v.matchers());
      return `histogram_quantile(0.99, sum by (cluster, job, server, zone, le) (rate(${m}[${v.dur("window")}]))) > ${v.lit("seconds")}`;
    },
  }),
  define({
    id: "coredns-panics",
    area: "coredns",
    alert: "CoreDNSPanics",
    title: "CoreDNS panics",
    summary: "CoreDNS panicked.",
    description: "CoreDNS {{ $labels.instance }} panicked {{ $value | humanize }} times over the window.",
    runbook:
      "A panic is a CoreDNS bug or a plugin crashing on unexpected input; the pod recovers but queries in flight fail. " +
      "Read the stack trace in the CoreDNS logs to find the plugin, and compare the CoreDNS version with known issues. " +
      "Upgrade CoreDNS or remove the faulty plugin from the Corefile.",
    severity: "critical",
    for: "",
    keepFiringFor: "",
    thresholdParam: "count",
    unit: "count",
    params: [selectorParam(SELECTOR_HELP, SELECTOR), numberParam("count", "Panics above", 0, "count"), windowParam("5m", "The window panics are counted over.")],
    sources: [DOCS, `${AWESOME}: CoreDNS Panic Count (increase > 0, critical)`],
    versions: [],
    make(v, n) {
      const m = sel(n.pick("coredns_panics_total", "coredns_panic_count_total"), v.matchers());
      return `sum by (cluster, job, instance) (increase(${m}[${v.dur("window")}])) > ${v.lit("count")}`;
    },
  }),
];
