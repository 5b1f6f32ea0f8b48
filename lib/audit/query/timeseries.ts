// Requests over time per group: the top N groups of the window, the rest as "other", in buckets sized to the range.
import type { DuckDBValue } from "@duckdb/node-api";
import { dimensionSql, filtersSql, type Dimension, type Filters, type Window } from "./params";

export interface TimeseriesQuery {
  window: Window;
  groupBy: Dimension[];
  filters: Filters;
  top: number;
  bucketSeconds: number;
}

/** Rows: g0…gN (null = other), bucket (epoch ms), requests. */
export function timeseriesSql(relation: string, q: TimeseriesQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const keys = q.groupBy.map((d, i) => `${dimensionSql(d)} AS k${i}`).join(", ");
  const names = q.groupBy.map((_, i) => `k${i}`);
  const sql = `
WITH ev AS (
  SELECT ${keys}, epoch_ms(time_bucket(INTERVAL ${Math.round(q.bucketSeconds)} SECOND, ts, TIMESTAMP '1970-01-01')) AS bucket
  FROM ${relation} WHERE true${filtersSql(q.filters, params)}
),
top AS (SELECT ${names.join(", ")}, true AS in_top FROM ev GROUP BY ALL ORDER BY count(*) DESC, ${names.join(", ")} LIMIT ${q.top})
SELECT ${names.map((n, i) => `CASE WHEN in_top THEN ${n} END AS g${i}`).join(", ")}, bucket, count(*) AS requests
FROM ev LEFT JOIN top USING (${names.join(", ")})
GROUP BY ALL
ORDER BY bucket`;
  return { sql, params };
}

export interface GroupSeries {
  keys: string[] | null;
  /** [bucket start ms, requests per second]; buckets without requests are 0. */
  points: Array<[number, number]>;
  requests: number;
}

/** Dense series (zero-filled buckets), biggest group first, "other" last. */
export function toGroupSeries(rows: Array<Record<string, unknown>>, dims: number, q: TimeseriesQuery): GroupSeries[] {
  const stepMs = q.bucketSeconds * 1000;
  const first = Math.floor(q.window.fromMs / stepMs) * stepMs;
  const count = Math.max(1, Math.ceil((q.window.toMs - first) / stepMs));
  const groups = new Map<string, GroupSeries>();
  for (const r of rows) {
    const keys = Array.from({ length: dims }, (_, i) => r[`g${i}`] as string | null);
    const isOther = keys.every((k) => k === null);
    const id = isOther ? "\u0000other" : JSON.stringify(keys);
    let g = groups.get(id);
    if (!g) {
      g = { keys: isOther ? null : (keys as string[]), points: Array.from({ length: count }, (_, i) => [first + i * stepMs, 0]), requests: 0 };
      groups.set(id, g);
    }
    const i = Math.floor((Number(r.bucket) - first) / stepMs);
    const n = Number(r.requests);
    if (i >= 0 && i < count) g.points[i]![1] += n / q.bucketSeconds;
    g.requests += n;
  }
  return [...groups.values()].sort((a, b) => (a.keys === null ? 1 : b.keys === null ? -1 : b.requests - a.requests));
}
