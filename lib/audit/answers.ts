// Wire types of the audit queries' answers: what GET /api/audit/{query} returns inside its envelope. Free of SQL
// and server code, so that the browser may import them.

export interface BreakdownRow {
  /** One value per grouping dimension; null for the "other" row. */
  keys: string[] | null;
  requests: number;
  errors: number; // 5xx
  throttled: number; // 429
  p50: number | null;
  p99: number | null;
  /** Time the group's requests (not long-running) took together, estimated from the latency histogram: its cost. */
  seconds: number;
  sources: number;
}

export interface FanoutRow {
  client: string;
  verb: string;
  resource: string;
  scope: string;
  sources: number;
  requests: number;
  /** Median over sources of the time between two requests of one source (seconds); null if none repeated. */
  intervalSeconds: number | null;
}

export interface ListHygieneRow {
  client: string;
  resource: string | null;
  lists: number;
  withoutRv0: number;
  withoutLimit: number;
  clusterScoped: number;
  watches: number;
}

export interface GroupSeries {
  keys: string[] | null;
  /** [bucket start ms, requests per second over the part of the bucket inside the window]; empty buckets are 0. */
  points: Array<[number, number]>;
  requests: number;
}

export interface BreakdownAnswer {
  groupBy: string[];
  windowSeconds: number;
  total: number;
  rows: Array<BreakdownRow & { rate: number; share: number }>;
}

export interface TimeseriesAnswer {
  groupBy: string[];
  bucketSeconds: number;
  startMs: number;
  endMs: number;
  series: GroupSeries[];
}

export interface FanoutAnswer {
  windowSeconds: number;
  rows: FanoutRow[];
}

export interface ListHygieneAnswer {
  rows: ListHygieneRow[];
}

/** One stored request as the drill-down shows it: every field stored or derived, keyed by its column name. */
export type EventRow = Record<string, unknown> & { ts: number; audit_id: string };

export interface EventsAnswer {
  events: EventRow[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}
