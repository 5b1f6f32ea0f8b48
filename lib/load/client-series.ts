// Per-client load bucket by bucket: requests, busy time, 429s, 5xx and the first request, for the clients that
// matter (the busiest by requests and by busy time, or a given list), the rest as one "other" series. What culprit
// scoring reads, from the window (over time) and from the window before (totals).
import type { DuckDBValue } from "@duckdb/node-api";
import type { ClientLoad, WindowSeries } from "./culprit";
import { histogramSecondsSql } from "../audit/rollup/histogram";
import { HISTOGRAM_COLUMNS } from "../audit/rollup/rollup-sql";
import type { Filters, Window } from "../audit/dimensions";
import { filtersSql } from "../audit/query/params";

export interface ClientSeriesQuery {
  filters: Filters;
  stepSeconds: number;
  /** Keep the `top` busiest clients by requests and the `top` costliest… */
  top: number;
  /** …or exactly these clients. */
  clients?: readonly string[];
}

export interface ClientSeriesRow {
  client: string | null;
  t: number;
  requests: number;
  seconds: number;
  throttled: number;
  errors: number;
  first: number | null;
}

export function clientSeriesSql(agg: string, q: ClientSeriesQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const where = filtersSql(q.filters, params);
  let keep: string;
  if (q.clients) {
    const bound = q.clients.map((c) => {
      params.push(c);
      return `$${params.length}`;
    });
    keep = bound.length === 0 ? "SELECT NULL::VARCHAR AS client WHERE false" : `SELECT DISTINCT client FROM per WHERE client IN (${bound.join(", ")})`;
  } else {
    keep = `SELECT client FROM (SELECT client, sum(requests) AS r, sum(seconds) AS s FROM per GROUP BY client)
      QUALIFY row_number() OVER (ORDER BY r DESC, client) <= ${q.top} OR row_number() OVER (ORDER BY s DESC, client) <= ${q.top}`;
  }
  const sql = `
WITH per AS (
  SELECT client, epoch_ms(time_bucket(INTERVAL ${Math.round(q.stepSeconds)} SECOND, bucket, TIMESTAMP '1970-01-01')) AS t,
    sum(n)::BIGINT AS requests, ${histogramSecondsSql(HISTOGRAM_COLUMNS)} AS seconds,
    coalesce(sum(n) FILTER (WHERE code = 429), 0)::BIGINT AS throttled, coalesce(sum(n) FILTER (WHERE code >= 500), 0)::BIGINT AS errors,
    epoch_ms(min(first_ts)) AS first
  FROM ${agg} WHERE true${where}
  GROUP BY ALL
), keep AS (${keep})
SELECT keep.client, t, sum(requests)::BIGINT AS requests, sum(seconds) AS seconds, sum(throttled)::BIGINT AS throttled,
  sum(errors)::BIGINT AS errors, min(first) AS first
FROM per LEFT JOIN keep USING (client)
GROUP BY ALL`;
  return { sql, params };
}

const key = (client: string | null) => (client === null ? "\u0000other" : client);

/** Each kept client's totals (and "other"), busiest first. */
export function toClientLoads(rows: readonly ClientSeriesRow[]): ClientLoad[] {
  const out = new Map<string, ClientLoad>();
  for (const r of rows) {
    const l = out.get(key(r.client)) ?? { client: r.client, requests: 0, seconds: 0, throttled: 0, errors: 0 };
    l.requests += Number(r.requests);
    l.seconds += Number(r.seconds);
    l.throttled += Number(r.throttled);
    l.errors += Number(r.errors);
    out.set(key(r.client), l);
  }
  return [...out.values()].sort((a, b) => b.requests - a.requests);
}

/** Dense per-client series over the window's buckets; a rollup bucket starting before the window counts in the first. */
export function toWindowSeries(rows: readonly ClientSeriesRow[], window: Window, stepSeconds: number): WindowSeries {
  const stepMs = stepSeconds * 1000;
  const startMs = Math.floor(window.fromMs / stepMs) * stepMs;
  const count = Math.max(1, Math.ceil((window.toMs - startMs) / stepMs));
  const clients = new Map<string, WindowSeries["clients"][number]>();
  for (const r of rows) {
    let c = clients.get(key(r.client));
    if (!c) clients.set(key(r.client), (c = { client: r.client, requests: new Array<number>(count).fill(0), seconds: new Array<number>(count).fill(0), firstMs: null }));
    const i = Math.min(count - 1, Math.max(0, Math.floor((Number(r.t) - startMs) / stepMs)));
    c.requests[i]! += Number(r.requests);
    c.seconds[i]! += Number(r.seconds);
    if (r.first !== null && (c.firstMs === null || Number(r.first) < c.firstMs)) c.firstMs = Number(r.first);
  }
  return { startMs, stepMs, clients: [...clients.values()] };
}

/** Buckets for a change point: whole rollup buckets (5 min) on long windows, finer ones read raw on short ones. */
export function seriesStepSeconds(windowSeconds: number, rollupSeconds: number): number {
  const TARGET = 60;
  if (windowSeconds >= 12 * rollupSeconds) return Math.ceil(windowSeconds / TARGET / rollupSeconds) * rollupSeconds;
  const NICE = [1, 2, 5, 10, 15, 30, 60, 120, 150];
  return NICE.find((s) => windowSeconds / s <= TARGET) ?? 150;
}
