// LIST hygiene per client (and resource): LISTs that bypass the watch cache (no resourceVersion=0), that are not
// paginated (no limit), that span the whole cluster, and how often a client re-LISTs instead of watching.
import type { DuckDBValue } from "@duckdb/node-api";
import { DERIVED } from "./derived";
import { filtersSql, type Filters, type Window } from "./params";

export interface ListHygieneQuery {
  window: Window;
  filters: Filters;
  top: number;
  /** Also split by resource (to weigh findings by object counts). */
  byResource: boolean;
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

export function listHygieneSql(relation: string, q: ListHygieneQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  const resource = q.byResource ? `, ${DERIVED.resource_name} AS resource` : "";
  const sql = `
WITH ev AS (
  SELECT client${resource}, verb, ${DERIVED.rv0} AS rv0, ${DERIVED.has_limit} AS has_limit, ${DERIVED.scope} AS scope
  FROM ${relation} WHERE verb IN ('list', 'watch')${filtersSql(q.filters, params)}
)
SELECT client${q.byResource ? ", resource" : ""},
  count(*) FILTER (WHERE verb = 'list') AS lists,
  count(*) FILTER (WHERE verb = 'list' AND NOT rv0) AS without_rv0,
  count(*) FILTER (WHERE verb = 'list' AND NOT has_limit) AS without_limit,
  count(*) FILTER (WHERE verb = 'list' AND scope = 'cluster') AS cluster_scoped,
  count(*) FILTER (WHERE verb = 'watch') AS watches
FROM ev GROUP BY ALL HAVING lists > 0
ORDER BY lists DESC LIMIT ${q.top}`;
  return { sql, params };
}

export function toListHygieneRows(rows: Array<Record<string, unknown>>): ListHygieneRow[] {
  return rows.map((r) => ({
    client: String(r.client ?? ""),
    resource: r.resource === undefined ? null : String(r.resource),
    lists: Number(r.lists),
    withoutRv0: Number(r.without_rv0),
    withoutLimit: Number(r.without_limit),
    clusterScoped: Number(r.cluster_scoped),
    watches: Number(r.watches),
  }));
}
