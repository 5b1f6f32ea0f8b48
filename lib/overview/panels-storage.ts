// Overview panels about storage, watches, hot resources and the API server processes.
import type { MetricSchema } from "../prometheus/schema";
import type { Labels } from "../prometheus/types";
import { has, label, NO_REQUEST_METRICS, noEmpty, type PanelDef } from "../panels/panel-def";

const NO_ETCD = "This Prometheus has no etcd_request_duration_seconds from the API servers";
const NO_PROCESS =
  "This Prometheus has no process metrics for the API servers (process_resident_memory_bytes, process_cpu_seconds_total)";

/** `pods`, or `leases.coordination.k8s.io` — the spelling Kubernetes itself uses for resources of a group. */
const resourceName = (l: Labels) => (l.group ? `${l.resource ?? "?"}.${l.group}` : (l.resource ?? l.type ?? "(none)"));

const etcdLatencyByOperation: PanelDef = {
  id: "etcd-latency",
  title: "etcd request latency p99 by operation",
  description: "Latency of the API servers' requests to etcd; when it climbs, every non-cached read and every write slows down.",
  unit: "seconds",
  coverage: (s) => (s.etcdResourceLabels ? null : NO_ETCD),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: `histogram_quantile(0.99, sum by (operation, le) (rate(etcd_request_duration_seconds_bucket{${c.sel}}[${c.rateWindow}])))`,
    legend: label("operation"),
  }),
};

const etcdLatencyByResource: PanelDef = {
  id: "etcd-latency-by-resource",
  title: "Slowest etcd resources (p99 over the window)",
  description: "etcd request latency p99 per resource over the whole window: the resources whose storage reads and writes are slow.",
  unit: "seconds",
  coverage: (s) => (s.etcdResourceLabels ? null : NO_ETCD),
  emptyMessage: noEmpty,
  build: (s, c) => {
    // Kubernetes 1.34 split the etcd metric's `type` label into `group` and `resource`.
    const by = s.etcdResourceLabels === "group_resource" ? "group, resource" : "type";
    return {
      kind: "instant",
      promql: `topk(10, histogram_quantile(0.99, sum by (${by}, le) (rate(etcd_request_duration_seconds_bucket{${c.sel}}[${c.rangeWindow}]))))`,
      legend: resourceName,
    };
  },
};

const objectCounts: PanelDef = {
  id: "object-counts",
  title: "Top resources by object count",
  description: "Objects stored per resource at the end of the window: a cluster-wide LIST of a big resource is what overloads the API server.",
  unit: "count",
  coverage: (s) => (s.objectCount ? null : "This Prometheus has no object-count metric (apiserver_resource_objects, apiserver_storage_objects or etcd_object_counts)"),
  emptyMessage: noEmpty,
  build: (s, c) => {
    const source = s.objectCount ?? { metric: "apiserver_storage_objects", hasGroup: false };
    const by = source.hasGroup ? "group, resource" : "resource";
    return {
      kind: "instant",
      promql: `topk(15, max by (${by}) (last_over_time(${source.metric}{${c.sel}}[${c.rangeWindow}])))`,
      legend: resourceName,
    };
  },
};

const longRunning: PanelDef = {
  id: "long-running",
  title: "Long-running requests (watches) by resource",
  description: "Open WATCH and CONNECT requests summed over the API servers in view; a jump means many new watchers (e.g. a DaemonSet rollout).",
  unit: "count",
  coverage: (s) => (s.longRunningMetric ? null : "This Prometheus has no long-running request gauge (apiserver_longrunning_requests or apiserver_longrunning_gauge)"),
  emptyMessage: () => "No long-running requests in this window",
  build: (s, c) => ({
    kind: "range",
    stacked: true,
    promql: `sum by (verb, resource) (${s.longRunningMetric ?? "apiserver_longrunning_requests"}{${c.sel}})`,
    legend: (l) => `${l.verb ?? "?"} ${l.resource || "(non-resource)"}`,
  }),
};

const topRequests: PanelDef = {
  id: "top-requests",
  title: "Top resources and verbs by request rate",
  description: "Average requests per second over the whole window for each resource and verb: where the load lands.",
  unit: "reqps",
  coverage: (s: MetricSchema) => (has(s, "apiserver_request_total") ? null : NO_REQUEST_METRICS),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "instant",
    promql: `topk(15, sum by (resource, verb) (rate(apiserver_request_total{${c.sel}}[${c.rangeWindow}])))`,
    legend: (l) => `${l.verb ?? "?"} ${l.resource || "(non-resource)"}`,
  }),
};

/** Process metrics exist for every job; keep only the targets that are API servers. */
const onlyApiservers = (metric: string, c: { sel: string; targetLabels: string }) =>
  `${metric} and on (${c.targetLabels}) apiserver_current_inflight_requests{${c.sel}}`;

const memory: PanelDef = {
  id: "memory",
  title: "API server memory (resident)",
  description: "Resident memory per API server; big LIST responses and many watchers drive it up, and an OOM kill turns overload into an outage.",
  unit: "bytes",
  coverage: (s) => (has(s, "process_resident_memory_bytes") && s.requestKindLabel ? null : NO_PROCESS),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: onlyApiservers(`process_resident_memory_bytes{${c.sel}}`, c),
    legend: label("instance"),
  }),
};

const cpu: PanelDef = {
  id: "cpu",
  title: "API server CPU",
  description: "CPU cores used per API server process.",
  unit: "cores",
  coverage: (s) => (has(s, "process_cpu_seconds_total") && s.requestKindLabel ? null : NO_PROCESS),
  emptyMessage: noEmpty,
  build: (_s, c) => ({
    kind: "range",
    promql: onlyApiservers(`rate(process_cpu_seconds_total{${c.sel}}[${c.rateWindow}])`, c),
    legend: label("instance"),
  }),
};

export { etcdLatencyByOperation, etcdLatencyByResource, objectCounts, longRunning, topRequests, memory, cpu };
