// Wire types of the APF status (GET /api/apf/status), shared by the route handler and the browser.
import type { PrometheusErrorKind } from "../prometheus/errors";

/** Worst first: a level that rejects or queues is what the page must make stand out. */
export type LevelState = "rejecting" | "queuing" | "saturated" | "ok";
export const LEVEL_STATES: readonly LevelState[] = ["rejecting", "queuing", "saturated", "ok"];

export interface RejectedByReason {
  /** queue-full, concurrency-limit or time-out. */
  reason: string;
  count: number;
  perSecond: number;
}

/** One API server's view of a priority level; peaks are over the window. */
export interface LevelOnServer {
  /** The instance label (prefixed with the cluster when the API servers in view belong to several). */
  server: string;
  nominalSeats: number | null;
  peakInUse: number | null;
  peakQueued: number | null;
}

export interface PriorityLevelRow {
  name: string;
  state: LevelState;
  /** Why the level has its state, one short sentence each; empty when ok. */
  reasons: string[];
  /**
   * The API server whose seats of this level were fullest (peak in use / nominal seats; the most in use for a level
   * without seats). nominalSeats, peakInUse and peakUtilisation are all of this one server, never summed.
   */
  busiestServer: string | null;
  /** The busiest API server's nominal seats for this level (each server has its own). */
  nominalSeats: number | null;
  servers: LevelOnServer[];
  /** Peak seats in use (executing requests before 1.28) on the busiest API server. */
  peakInUse: number | null;
  /** peakInUse / nominalSeats of the busiest API server; null without seats (exempt levels have none). */
  peakUtilisation: number | null;
  /** Peak requests waiting in the level's queues on the API server where most waited. */
  peakQueued: number | null;
  /** p99 of the APF queue wait over the window (rejected requests' waits included). */
  waitP99: number | null;
  dispatched: number;
  dispatchedPerSecond: number;
  rejected: number;
  rejectedPerSecond: number;
  /** Largest first. */
  rejectedByReason: RejectedByReason[];
}

export interface FlowSchemaRow {
  name: string;
  priorityLevel: string;
  dispatched: number;
  dispatchedPerSecond: number;
  rejected: number;
  rejectedPerSecond: number;
}

/**
 * The API server's concurrency limit (--max-requests-inflight + --max-mutating-requests-inflight), which APF shares
 * out among the priority levels.
 */
export interface ServerLimit {
  /** Seats of one API server (the largest, when they differ). */
  seats: number;
  /** "metrics": the sum of the levels' nominal seats; "config": apiscope's configured in-flight limits. */
  source: "metrics" | "config";
  perServer: Array<{ server: string; seats: number }>;
  /** How the number was obtained and how far it can be off. */
  note: string;
}

export interface ApfStatusOk {
  status: "ok";
  windowSeconds: number;
  /** Rejecting, then queuing, then saturated levels first. */
  levels: PriorityLevelRow[];
  /** Most rejected, then most dispatched first. */
  flowSchemas: FlowSchemaRow[];
  serverLimit: ServerLimit;
  /** The gauge peak in use comes from: executing seats (1.28+) or executing requests. */
  inUseMetric: string | null;
  /** nominal_limit_seats (1.26+) or request_concurrency_limit (1.20–1.30). */
  limitMetric: string | null;
  /** APF families this Prometheus lacks, whose columns are therefore empty. */
  missing: string[];
}

export type ApfStatus =
  | ApfStatusOk
  | { status: "not-covered"; message: string }
  | { status: "error"; kind: PrometheusErrorKind | "bad_request"; message: string };
