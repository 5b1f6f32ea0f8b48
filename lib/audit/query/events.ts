// Raw requests for drill-down, newest first, with keyset pagination (stable while new events arrive).
import type { DuckDBValue } from "@duckdb/node-api";
import { DERIVED } from "./derived";
import type { Filters, Window } from "../dimensions";
import { filtersSql } from "./params";

export interface EventsQuery {
  window: Window;
  filters: Filters;
  limit: number;
  /** Continue after this event (from the previous page's `next`). */
  cursor?: { tsMs: number; auditId: string };
}

export const EVENT_FIELDS_SHOWN = `
  epoch_ms(ts) AS ts, audit_id, stage, client, user_agent, username, groups, verb, request_uri, code, ${DERIVED.latency_s} AS latency_s,
  source_ip, ${DERIVED.resource_name} AS resource, namespace, name, ${DERIVED.scope} AS scope,
  ${DERIVED.lat_etcd_s} AS lat_etcd_s, ${DERIVED.lat_apf_wait_s} AS lat_apf_wait_s,
  ${DERIVED.lat_mutating_webhook_s} AS lat_mutating_webhook_s, ${DERIVED.lat_validating_webhook_s} AS lat_validating_webhook_s,
  ${DERIVED.webhooks} AS webhooks, ${DERIVED.failed_open} AS failed_open`;

export function eventsSql(relation: string, q: EventsQuery): { sql: string; params: DuckDBValue[] } {
  const params: DuckDBValue[] = [];
  let after = "";
  if (q.cursor) {
    params.push(q.cursor.tsMs, q.cursor.auditId);
    after = ` AND (epoch_ms(ts) < $${params.length - 1} OR (epoch_ms(ts) = $${params.length - 1} AND audit_id < $${params.length}))`;
  }
  // The page is chosen from two columns first; only its rows are then read whole (DuckDB pushes the keys' range
  // into the scan) and get the costly derived fields.
  const sql = `WITH page AS (
  SELECT ts, audit_id FROM ${relation} WHERE true${filtersSql(q.filters, params, true)}${after}
  ORDER BY ts DESC, audit_id DESC LIMIT ${q.limit + 1}
)
SELECT ${EVENT_FIELDS_SHOWN} FROM ${relation} SEMI JOIN page USING (ts, audit_id)
ORDER BY ts DESC, audit_id DESC`;
  return { sql, params };
}
