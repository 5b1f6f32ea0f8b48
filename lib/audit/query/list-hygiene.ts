// LIST hygiene per client (and resource): LISTs that bypass the watch cache (no resourceVersion=0), that are not
// paginated (no limit), that span the whole cluster, and how often a client re-LISTs instead of watching.
import type { DuckDBValue } from "@duckdb/node-api";
import { formatResource, type Filters, type ResourceKey, type Window } from "../dimensions";
import { filtersSql } from "./params";
import type { ListHygieneRow } from "../answers";

export interface ListHygieneQuery {
  window: Window;
  filters: Filters;
  top: number;
  /** Also split by resource (to weigh findings by object counts). */
  byResource: boolean;
}


export function listHygieneSql(agg: string, q: ListHygieneQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const keys = q.byResource ? "client, api_group, resource, subresource, path" : "client";
  const sql = `
SELECT ${keys},
  (sum(n) FILTER (WHERE verb = 'list'))::BIGINT AS lists,
  (sum(n) FILTER (WHERE verb = 'list' AND NOT rv0))::BIGINT AS without_rv0,
  (sum(n) FILTER (WHERE verb = 'list' AND NOT has_limit))::BIGINT AS without_limit,
  (sum(n) FILTER (WHERE verb = 'list' AND scope = 'cluster'))::BIGINT AS cluster_scoped,
  coalesce(sum(n) FILTER (WHERE verb = 'watch'), 0)::BIGINT AS watches
FROM ${agg} WHERE verb IN ('list', 'watch')${filtersSql(q.filters, params)}
GROUP BY ALL HAVING lists > 0
ORDER BY lists DESC, ${keys} LIMIT ${q.top}`;
  return { sql, params };
}

export function toListHygieneRows(rows: Array<Record<string, unknown>>, byResource: boolean): ListHygieneRow[] {
  return rows.map((r) => ({
    client: String(r.client ?? ""),
    resource: byResource ? formatResource(r as unknown as ResourceKey) : null,
    lists: Number(r.lists),
    withoutRv0: Number(r.without_rv0 ?? 0),
    withoutLimit: Number(r.without_limit ?? 0),
    clusterScoped: Number(r.cluster_scoped ?? 0),
    watches: Number(r.watches ?? 0),
  }));
}
