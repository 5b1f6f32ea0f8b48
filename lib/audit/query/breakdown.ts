// Load breakdown: requests grouped by any combination of dimensions, top N plus one "other" row, over rollup rows.
// Totals and latency come from the coarsest rollups that hold the grouping; distinct sources from the fine ones
// (reading only their key and source columns).
import type { DuckDBValue } from "@duckdb/node-api";
import { HISTOGRAM_COLUMNS } from "../rollup/rollup-sql";
import { histogramQuantile, histogramSeconds } from "../rollup/histogram";
import { DIMENSION_COLUMNS, dimensionValue, type Dimension, type Filters, type Window } from "../dimensions";
import { filtersSql } from "./params";
import type { BreakdownRow } from "../answers";

export interface BreakdownQuery {
  window: Window;
  groupBy: Dimension[];
  filters: Filters;
  top: number;
}


export const groupColumns = (dims: readonly Dimension[]) => [...new Set(dims.flatMap((d) => DIMENSION_COLUMNS[d]))];

/** Every group with its totals, latency histogram and rank (1 = busiest). */
export function statsSql(agg: string, q: BreakdownQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const keys = groupColumns(q.groupBy).join(", ");
  const sql = `
SELECT *, row_number() OVER (ORDER BY requests DESC, ${keys}) AS rank FROM (
  SELECT ${keys},
    sum(n)::BIGINT AS requests,
    (sum(n) FILTER (WHERE code >= 500))::BIGINT AS errors,
    (sum(n) FILTER (WHERE code = 429))::BIGINT AS throttled,
    [${HISTOGRAM_COLUMNS.map((h) => `sum(${h})::BIGINT`).join(", ")}] AS histogram
  FROM ${agg} WHERE true${filtersSql(q.filters, params)}
  GROUP BY ${keys}
) ORDER BY rank`;
  return { sql, params };
}

/** The distinct (group, source) pairs, from fine rollup rows; counted per group, and over the "other" groups, in JS. */
export function sourcesSql(fineAgg: string, q: BreakdownQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const keys = groupColumns(q.groupBy).join(", ");
  const sql = `SELECT DISTINCT ${keys}, source_ip FROM ${fineAgg} WHERE source_ip IS NOT NULL${filtersSql(q.filters, params)}`;
  return { sql, params };
}

export interface StatsRow extends Record<string, unknown> {
  requests: number;
  errors: number | null;
  throttled: number | null;
  histogram: number[];
  rank: number;
}

function summarise(keys: string[] | null, rows: StatsRow[], sources: number): BreakdownRow {
  const histogram = new Array<number>(HISTOGRAM_COLUMNS.length).fill(0);
  for (const r of rows) r.histogram.forEach((v, i) => (histogram[i]! += Number(v)));
  return {
    keys,
    requests: rows.reduce((a, r) => a + Number(r.requests), 0),
    errors: rows.reduce((a, r) => a + Number(r.errors ?? 0), 0),
    throttled: rows.reduce((a, r) => a + Number(r.throttled ?? 0), 0),
    p50: histogramQuantile(0.5, histogram),
    p99: histogramQuantile(0.99, histogram),
    seconds: histogramSeconds(histogram),
    sources,
  };
}

/** The top N groups, biggest first, then one "other" row for the rest. */
export function toBreakdownRows(stats: StatsRow[], pairs: Array<Record<string, unknown>>, q: BreakdownQuery): BreakdownRow[] {
  const cols = groupColumns(q.groupBy);
  const id = (r: Record<string, unknown>) => JSON.stringify(cols.map((c) => r[c] ?? null));
  const top = stats.filter((r) => Number(r.rank) <= q.top);
  const rest = stats.filter((r) => Number(r.rank) > q.top);
  const topIds = new Set(top.map(id));
  const perGroup = new Map<string, number>();
  const otherSources = new Set<string>();
  for (const p of pairs) {
    const g = id(p);
    if (topIds.has(g)) perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
    else otherSources.add(String(p.source_ip));
  }
  const out = top.map((r) => summarise(q.groupBy.map((d) => dimensionValue(d, r)), [r], perGroup.get(id(r)) ?? 0));
  if (rest.length > 0) out.push(summarise(null, rest, otherSources.size));
  return out;
}
