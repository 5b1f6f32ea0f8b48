// Wire types of the admission-webhook view, shared by the route handler and the browser.
import type { PrometheusErrorKind } from "../prometheus/errors";

export interface WebhookRow {
  name: string;
  type: "mutating" | "validating";
  calls: number;
  callsPerSecond: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** Time spent in the webhook over the window, and its share of all admission time. */
  seconds: number;
  shareOfAdmission: number | null;
  /** Calls slower than 10 s (the default timeout) and 25 s. */
  slowerThan10s: number;
  slowerThan25s: number;
  /** Calls by the webhook's HTTP answer (null: the metric is not exposed). */
  codes: Record<string, number> | null;
  rejections: Array<{ errorType: string; rejectionCode: string; count: number }>;
  rejected: number;
  /** Calls that failed: rejected with calling_webhook_error, or failed open. */
  failedCalls: number;
  failOpen: number | null;
  warnings: string[];
}

export interface AdmissionOverall {
  /** Admission's share of the latency of mutating requests. */
  shareOfMutatingLatency: number | null;
  /**
   * Per admission step (admit, validate): `p99` over the whole window (from all of its requests) and `peakP99`, the
   * highest p99 of any `peakStepSeconds`-long time step — the top of the admission-latency chart.
   */
  stepP99: Array<{ type: string; p99: number | null; peakP99: number | null }>;
  peakStepSeconds: number;
  controllers: Array<{ name: string; type: string; p99: number | null }>;
}

export type WebhookSummary =
  | { status: "ok"; windowSeconds: number; webhooks: WebhookRow[]; admission: AdmissionOverall; missing: string[] }
  | { status: "not-covered"; message: string }
  | { status: "error"; kind: PrometheusErrorKind | "bad_request"; message: string };
