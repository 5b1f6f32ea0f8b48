// The APF metric families the panels and the status read, and which of them this Prometheus has. Label names
// (priority_level, flow_schema, reason, execute) are the same in every version since 1.20; metric names differ.
import type { MetricSchema } from "./schema";

export const APF_METRICS = {
  dispatched: "apiserver_flowcontrol_dispatched_requests_total",
  rejected: "apiserver_flowcontrol_rejected_requests_total",
  inQueue: "apiserver_flowcontrol_current_inqueue_requests",
  executingRequests: "apiserver_flowcontrol_current_executing_requests",
  executingSeats: "apiserver_flowcontrol_current_executing_seats",
  waitBucket: "apiserver_flowcontrol_request_wait_duration_seconds_bucket",
} as const;

export const NO_APF_LIMIT_METRIC =
  "This Prometheus has no APF seat limit: apiserver_flowcontrol_nominal_limit_seats (Kubernetes 1.26+) " +
  "or apiserver_flowcontrol_request_concurrency_limit (1.20–1.30)";
export const NO_APF_EXECUTING =
  "This Prometheus has no APF executing gauge: apiserver_flowcontrol_current_executing_seats (Kubernetes 1.28+) " +
  "or current_executing_requests";
export const NO_APF_IN_QUEUE = `This Prometheus has no ${APF_METRICS.inQueue}`;
export const NO_APF_WAIT = "This Prometheus has no APF queue-wait histogram (apiserver_flowcontrol_request_wait_duration_seconds)";
export const NO_APF_DISPATCHED = `This Prometheus has no ${APF_METRICS.dispatched}`;

/** What occupies a level's seats: seats since 1.28 (a LIST can take several), executing requests before that. */
export function apfInUseMetric(s: MetricSchema): typeof APF_METRICS.executingSeats | typeof APF_METRICS.executingRequests | null {
  if (s.names.has(APF_METRICS.executingSeats)) return APF_METRICS.executingSeats;
  if (s.names.has(APF_METRICS.executingRequests)) return APF_METRICS.executingRequests;
  return null;
}
