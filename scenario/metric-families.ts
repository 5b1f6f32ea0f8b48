// The metric families the scenario emits, with Kubernetes 1.31 label names.

import type { Family, MetricStore } from "./metrics-store";

const COMMON = ["cluster", "instance", "job"] as const;
const REQUEST = ["verb", "group", "version", "resource", "subresource", "scope", "component"] as const;
const FLOW = ["priority_level", "flow_schema"] as const;

export const REQUEST_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
export const APF_WAIT_BUCKETS = [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30];
export const WEBHOOK_BUCKETS = [0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 25];
export const ADMISSION_STEP_BUCKETS = [0.005, 0.025, 0.1, 0.5, 1, 2.5];
/** CoreDNS plugin.TimeBuckets: ExponentialBuckets(0.00025, 2, 16), 0.25 ms to 8.192 s. */
export const DNS_BUCKETS = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);

export interface Families {
  up: Family;
  buildInfo: Family;
  requestTotal: Family;
  requestDuration: Family;
  inflight: Family;
  longRunning: Family;
  nominalSeats: Family;
  dispatched: Family;
  rejected: Family;
  inQueue: Family;
  executing: Family;
  executingSeats: Family;
  waitDuration: Family;
  etcdDuration: Family;
  storageObjects: Family;
  webhookDuration: Family;
  webhookRequests: Family;
  webhookRejections: Family;
  admissionStep: Family;
  memory: Family;
  cpu: Family;
  dnsRequests: Family;
  dnsResponses: Family;
  etcdHasLeader: Family;
  etcdIsLeader: Family;
  etcdLeaderChanges: Family;
  etcdDbSize: Family;
  etcdQuota: Family;
  dnsDuration: Family;
  dnsPanics: Family;
}

/** Registers the families in emission order. */
export function registerFamilies(store: MetricStore): Families {
  const f = (
    name: string,
    type: "counter" | "gauge" | "histogram" | "unknown",
    labels: readonly string[],
    extra: { buckets?: readonly number[]; cumulative?: boolean; valueScale?: number } = {},
  ) =>
    store.family({
      name,
      type,
      labelNames: [...labels, ...COMMON],
      cumulative: type !== "gauge" || extra.cumulative,
      buckets: extra.buckets,
      valueScale: extra.valueScale,
    });
  return {
    up: f("up", "gauge", []),
    buildInfo: f("kubernetes_build_info", "gauge", [
      "build_date",
      "compiler",
      "git_commit",
      "git_tree_state",
      "git_version",
      "go_version",
      "major",
      "minor",
      "platform",
    ]),
    requestTotal: f("apiserver_request_total", "counter", [...REQUEST, "code"]),
    requestDuration: f("apiserver_request_duration_seconds", "histogram", REQUEST, { buckets: REQUEST_BUCKETS }),
    inflight: f("apiserver_current_inflight_requests", "gauge", ["request_kind"]),
    longRunning: f("apiserver_longrunning_requests", "gauge", REQUEST),
    nominalSeats: f("apiserver_flowcontrol_nominal_limit_seats", "gauge", ["priority_level"]),
    dispatched: f("apiserver_flowcontrol_dispatched_requests_total", "counter", FLOW),
    rejected: f("apiserver_flowcontrol_rejected_requests_total", "counter", [...FLOW, "reason"]),
    inQueue: f("apiserver_flowcontrol_current_inqueue_requests", "gauge", FLOW),
    executing: f("apiserver_flowcontrol_current_executing_requests", "gauge", FLOW),
    executingSeats: f("apiserver_flowcontrol_current_executing_seats", "gauge", FLOW),
    waitDuration: f("apiserver_flowcontrol_request_wait_duration_seconds", "histogram", [...FLOW, "execute"], {
      buckets: APF_WAIT_BUCKETS,
    }),
    etcdDuration: f("etcd_request_duration_seconds", "histogram", ["operation", "type"], { buckets: REQUEST_BUCKETS }),
    storageObjects: f("apiserver_storage_objects", "gauge", ["resource"], { cumulative: true }),
    webhookDuration: f(
      "apiserver_admission_webhook_admission_duration_seconds",
      "histogram",
      ["name", "type", "operation", "rejected"],
      { buckets: WEBHOOK_BUCKETS },
    ),
    webhookRequests: f("apiserver_admission_webhook_request_total", "counter", [
      "name",
      "type",
      "operation",
      "code",
      "rejected",
    ]),
    // A counter without the _total suffix: typed "unknown" so OpenMetrics accepts the name.
    webhookRejections: f("apiserver_admission_webhook_rejection_count", "unknown", [
      "name",
      "type",
      "operation",
      "error_type",
      "rejection_code",
    ]),
    admissionStep: f("apiserver_admission_step_admission_duration_seconds", "histogram", ["type", "operation", "rejected"], {
      buckets: ADMISSION_STEP_BUCKETS,
    }),
    memory: f("process_resident_memory_bytes", "gauge", []),
    cpu: f("process_cpu_seconds_total", "counter", [], { valueScale: 1e-6 }),
    dnsRequests: f("coredns_dns_requests_total", "counter", ["server", "zone", "proto", "family", "type"]),
    dnsResponses: f("coredns_dns_responses_total", "counter", ["server", "zone", "rcode"]),
    // Added after the families above so their output stays as it was; etcd members are scraped as job="etcd".
    etcdHasLeader: f("etcd_server_has_leader", "gauge", []),
    etcdIsLeader: f("etcd_server_is_leader", "gauge", []),
    etcdLeaderChanges: f("etcd_server_leader_changes_seen_total", "counter", []),
    etcdDbSize: f("etcd_mvcc_db_total_size_in_bytes", "gauge", []),
    etcdQuota: f("etcd_server_quota_backend_bytes", "gauge", []),
    dnsDuration: f("coredns_dns_request_duration_seconds", "histogram", ["server", "zone", "type"], { buckets: DNS_BUCKETS }),
    dnsPanics: f("coredns_panics_total", "counter", []),
  };
}
