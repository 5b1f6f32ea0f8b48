// Wire types of the webhooks seen in the audit log (GET /api/audit/webhooks), free of SQL for the browser.

export interface WebhookRan {
  type: "mutating" | "validating";
  webhook: string;
  configuration: string | null;
  /** Requests it ran on (mutating webhooks only: validating ones leave no annotation unless they fail open). */
  requests: number;
  mutated: number;
  failedOpen: number;
  /** Its most frequent "verb resource" pairs. */
  targets: string[];
}

export interface WebhookWait {
  kind: "mutating" | "validating";
  requests: number;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  /** Of those requests' total latency. */
  share: number | null;
}

export interface WebhookShape {
  client: string;
  verb: string;
  resource: string;
  requests: number;
  seconds: number;
  p99: number;
  share: number | null;
}

/**
 * Whether per-request webhook latency can be known: "recorded", "none-slow" (no request passed the 500 ms threshold,
 * so none is expected), or "not-written" (slow requests exist but none carries a latency annotation: the API
 * server's version does not write them).
 */
export type LatencyAnnotationCoverage = "recorded" | "none-slow" | "not-written";

export interface WebhookAuditAnswer {
  /** Requests slower than the annotation threshold; null when not counted (annotations are written, so not needed). */
  slowRequests: number | null;
  waitedRequests: number;
  latencyAnnotations: LatencyAnnotationCoverage;
  webhooks: WebhookRan[];
  waits: WebhookWait[];
  shapes: WebhookShape[];
  slowest: Array<Record<string, unknown>>;
}
