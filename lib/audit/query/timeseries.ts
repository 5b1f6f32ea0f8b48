// Requests over time per group: the top N groups of the window, the rest as "other", in buckets sized to the range.
import type { DuckDBValue } from "@duckdb/node-api";
import { groupColumns } from "./breakdown";
import { dimensionValue, type Dimension, type Filters, type Window } from "../dimensions";
import { filtersSql } from "./params";
import type { GroupSeries } from "../answers";

export interface TimeseriesQuery {
  window: Window;
  groupBy: Dimension[];
  filters: Filters;
  top: number;
  bucketSeconds: number;
}

/** Rows: the group columns, bucket (epoch ms), requests. */
export function timeseriesSql(agg: string, q: TimeseriesQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const cols = groupColumns(q.groupBy).join(", ");
  const sql = `
SELECT ${cols}, epoch_ms(time_bucket(INTERVAL ${Math.round(q.bucketSeconds)} SECOND, bucket, TIMESTAMP '1970-01-01')) AS t, sum(n)::BIGINT AS requests
FROM ${agg} WHERE true${filtersSql(q.filters, params)}
GROUP BY ALL`;
  return { sql, params };
}


/** Dense series (zero-filled buckets) of the top N groups, biggest first, then "other". */
export function toGroupSeries(rows: Array<Record<string, unknown>>, q: TimeseriesQuery): GroupSeries[] {
  const stepMs = q.bucketSeconds * 1000;
  const first = Math.floor(q.window.fromMs / stepMs) * stepMs;
  const count = Math.max(1, Math.ceil((q.window.toMs - first) / stepMs));
  const totals = new Map<string, { keys: string[]; requests: number }>();
  const id = (r: Record<string, unknown>) => JSON.stringify(q.groupBy.map((d) => dimensionValue(d, r)));
  for (const r of rows) {
    const k = id(r);
    const t = totals.get(k) ?? { keys: JSON.parse(k) as string[], requests: 0 };
    t.requests += Number(r.requests);
    totals.set(k, t);
  }
  const top = new Set([...totals.entries()].sort((a, b) => b[1].requests - a[1].requests || a[0].localeCompare(b[0])).slice(0, q.top).map(([k]) => k));
  const series = new Map<string, GroupSeries>();
  for (const r of rows) {
    const k = top.has(id(r)) ? id(r) : "\u0000other";
    let s = series.get(k);
    if (!s) {
      s = { keys: k === "\u0000other" ? null : totals.get(k)!.keys, points: Array.from({ length: count }, (_, i) => [first + i * stepMs, 0]), requests: 0 };
      series.set(k, s);
    }
    const i = Math.floor((Number(r.t) - first) / stepMs);
    const n = Number(r.requests);
    if (i >= 0 && i < count) s.points[i]![1] += n; // counts first, rates once summed
    s.requests += n;
  }
  // A bucket cut by the window's edge is divided by the part inside it, or its rate would look like a drop.
  const covered = (startMs: number) => (Math.min(q.window.toMs, startMs + stepMs) - Math.max(q.window.fromMs, startMs)) / 1000;
  for (const s of series.values()) for (const p of s.points) p[1] = p[1] > 0 ? p[1] / Math.max(covered(p[0]), 1e-3) : 0;
  return [...series.values()].sort((a, b) => (a.keys === null ? 1 : b.keys === null ? -1 : b.requests - a.requests));
}
