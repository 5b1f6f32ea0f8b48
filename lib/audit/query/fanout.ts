// Fan-out: per client and request shape (verb + resource + scope), how many distinct sources (nodes) send it and
// how often each one does — "5,000 nodes × LIST pods cluster-wide every 10 s", the DaemonSet pattern.
import type { DuckDBValue } from "@duckdb/node-api";
import { formatResource, type Filters, type ResourceKey, type Window } from "../dimensions";
import { filtersSql } from "./params";
import type { FanoutRow } from "../answers";

export interface FanoutQuery {
  window: Window;
  filters: Filters;
  top: number;
}


export function fanoutSql(agg: string, q: FanoutQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const shape = "client, verb, api_group, resource, subresource, path, scope";
  const sql = `
WITH per_source AS (
  SELECT ${shape}, source_ip, sum(n) AS n, min(first_ts) AS first_ts, max(last_ts) AS last_ts
  FROM ${agg} WHERE source_ip IS NOT NULL${filtersSql(q.filters, params)}
  GROUP BY ALL
)
SELECT ${shape}, count(*) AS sources, sum(n)::BIGINT AS requests,
  median(CASE WHEN n > 1 THEN date_diff('millisecond', first_ts, last_ts) / 1000.0 / (n - 1) END) AS interval_s
FROM per_source
GROUP BY ALL
ORDER BY sources DESC, requests DESC, ${shape}
LIMIT ${q.top}`;
  return { sql, params };
}

export function toFanoutRows(rows: Array<Record<string, unknown>>): FanoutRow[] {
  return rows.map((r) => ({
    client: String(r.client ?? ""),
    verb: String(r.verb ?? ""),
    resource: formatResource(r as unknown as ResourceKey),
    scope: String(r.scope ?? ""),
    sources: Number(r.sources),
    requests: Number(r.requests),
    intervalSeconds: r.interval_s === null ? null : Number(r.interval_s),
  }));
}
