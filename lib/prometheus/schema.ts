// The metric-schema adapter: which metric and label names this Prometheus actually has. Kubernetes renamed
// several of them across versions; queries are chosen from this, and a missing family becomes a coverage notice.

export type ObjectCountSource =
  | { metric: "apiserver_resource_objects"; hasGroup: true } // 1.34+
  | { metric: "apiserver_storage_objects"; hasGroup: false } // 1.21–1.33 (deprecated in 1.34)
  | { metric: "etcd_object_counts"; hasGroup: false }; // ≤ 1.22

export interface MetricSchema {
  /** Every relevant metric name present (histograms as their _bucket/_sum/_count names). */
  names: ReadonlySet<string>;
  /** `request_kind` since 1.19, `requestKind` before. */
  requestKindLabel: "request_kind" | "requestKind" | null;
  apfLimitMetric: "apiserver_flowcontrol_nominal_limit_seats" | "apiserver_flowcontrol_request_concurrency_limit" | null;
  objectCount: ObjectCountSource | null;
  /** etcd_request_duration_seconds labels: `{operation,group,resource}` since 1.34, `{operation,type}` before. */
  etcdResourceLabels: "group_resource" | "type" | null;
  longRunningMetric: "apiserver_longrunning_requests" | "apiserver_longrunning_gauge" | null;
  /** Whether series carry a `cluster` label (multi-cluster Prometheus/Thanos). */
  hasClusterLabel: boolean;
}

/** The families the overview may use; discovery asks Prometheus which of them exist. */
export const DISCOVERED_NAMES_REGEX =
  "apiserver_(request_total|request_duration_seconds_bucket|current_inflight_requests|longrunning_requests|longrunning_gauge|registered_watchers|storage_objects|resource_objects|flowcontrol_.+|admission_.+)|etcd_(request_duration_seconds_bucket|object_counts)|process_(resident_memory_bytes|cpu_seconds_total)";

export interface Discovery {
  names: string[];
  /** Label names per metric, for the metrics whose labels changed between versions. */
  labels: Partial<Record<"apiserver_current_inflight_requests" | "etcd_request_duration_seconds_bucket", string[]>>;
}

/** The metrics whose label names discovery must look at, given which names exist. */
export function metricsNeedingLabels(names: readonly string[]): Array<keyof Discovery["labels"]> {
  const present = new Set(names);
  return (["apiserver_current_inflight_requests", "etcd_request_duration_seconds_bucket"] as const).filter(
    (m) => present.has(m),
  );
}

export function schemaFromDiscovery(d: Discovery): MetricSchema {
  const names = new Set(d.names);
  const inflight = d.labels.apiserver_current_inflight_requests ?? [];
  const etcd = d.labels.etcd_request_duration_seconds_bucket ?? [];
  const objectCount: ObjectCountSource | null = names.has("apiserver_resource_objects")
    ? { metric: "apiserver_resource_objects", hasGroup: true }
    : names.has("apiserver_storage_objects")
      ? { metric: "apiserver_storage_objects", hasGroup: false }
      : names.has("etcd_object_counts")
        ? { metric: "etcd_object_counts", hasGroup: false }
        : null;
  return {
    names,
    requestKindLabel: inflight.includes("request_kind") ? "request_kind" : inflight.includes("requestKind") ? "requestKind" : null,
    apfLimitMetric: names.has("apiserver_flowcontrol_nominal_limit_seats")
      ? "apiserver_flowcontrol_nominal_limit_seats"
      : names.has("apiserver_flowcontrol_request_concurrency_limit")
        ? "apiserver_flowcontrol_request_concurrency_limit"
        : null,
    objectCount,
    etcdResourceLabels: !names.has("etcd_request_duration_seconds_bucket")
      ? null
      : etcd.includes("resource")
        ? "group_resource"
        : "type",
    longRunningMetric: names.has("apiserver_longrunning_requests")
      ? "apiserver_longrunning_requests"
      : names.has("apiserver_longrunning_gauge")
        ? "apiserver_longrunning_gauge"
        : null,
    hasClusterLabel: inflight.includes("cluster"),
  };
}

/** APF is present when its always-exposed families are (beta and on by default since 1.20). */
export function hasApf(s: MetricSchema): boolean {
  return s.names.has("apiserver_flowcontrol_dispatched_requests_total") || s.apfLimitMetric !== null;
}
