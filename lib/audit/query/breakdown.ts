// Load breakdown: requests grouped by any combination of dimensions, top N plus one "other" row.
import type { DuckDBValue } from "@duckdb/node-api";
import { DERIVED } from "./derived";
import { dimensionSql, filtersSql, type Dimension, type Filters, type Window } from "./params";

export interface BreakdownRow {
  /** One value per grouping dimension; null for the "other" row. */
  keys: string[] | null;
  requests: number;
  errors: number; // 5xx
  throttled: number; // 429
  p50: number | null;
  p99: number | null;
  sources: number;
}

export interface BreakdownQuery {
  window: Window;
  groupBy: Dimension[];
  filters: Filters;
  top: number;
}

/** SQL over `relation` (the events in the window). Rows: g0…gN (null = other), then the stats. */
export function breakdownSql(relation: string, q: BreakdownQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const keys = q.groupBy.map((d, i) => `${dimensionSql(d)} AS k${i}`).join(", ");
  const names = q.groupBy.map((_, i) => `k${i}`);
  const sql = `
WITH ev AS (
  SELECT ${keys}, ${DERIVED.request_latency_s} AS latency_s, code, source_ip FROM ${relation} WHERE true${filtersSql(q.filters, params)}
),
top AS (SELECT ${names.join(", ")}, true AS in_top FROM ev GROUP BY ALL ORDER BY count(*) DESC, ${names.join(", ")} LIMIT ${q.top})
SELECT ${names.map((n, i) => `CASE WHEN in_top THEN ${n} END AS g${i}`).join(", ")},
  count(*) AS requests,
  count(*) FILTER (WHERE code >= 500) AS errors,
  count(*) FILTER (WHERE code = 429) AS throttled,
  approx_quantile(latency_s, 0.5) AS p50,
  approx_quantile(latency_s, 0.99) AS p99,
  count(DISTINCT source_ip) AS sources
FROM ev LEFT JOIN top USING (${names.join(", ")})
GROUP BY ${names.map((_, i) => i + 1).join(", ")}
ORDER BY (g0 IS NULL), requests DESC`;
  return { sql, params };
}

export function toBreakdownRows(rows: Array<Record<string, unknown>>, dims: number): BreakdownRow[] {
  return rows.map((r) => {
    const keys = Array.from({ length: dims }, (_, i) => r[`g${i}`] as string | null);
    return {
      keys: keys.every((k) => k === null) ? null : (keys as string[]),
      requests: Number(r.requests),
      errors: Number(r.errors),
      throttled: Number(r.throttled),
      p50: r.p50 === null ? null : Number(r.p50),
      p99: r.p99 === null ? null : Number(r.p99),
      sources: Number(r.sources),
    };
  });
}
