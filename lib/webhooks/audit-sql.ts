// Admission webhooks as the audit log records them per request: which mutating webhooks ran and whether they
// mutated (mutation.webhook.admission.k8s.io/*), which failed open (failed-open.*), and how long requests waited on
// webhooks (apiserver.latency.k8s.io/{mutating,validating}-webhook, written only for requests slower than 500 ms
// and missing on some versions). Only requests that carry webhook annotations are read in full.
import type { DuckDBValue } from "@duckdb/node-api";
import { DERIVED } from "../audit/query/derived";
import type { Filters, Window } from "../audit/dimensions";
import { filtersSql } from "../audit/query/params";
import { latencyAnnotationCoverage } from "./audit-coverage";
import type { WebhookAuditAnswer } from "./audit-types";

export interface WebhookAuditQuery {
  window: Window;
  filters: Filters;
  top: number;
}

type Sql = { sql: string; params: DuckDBValue[] };

/** The latency annotation threshold of kube-apiserver (pkg/endpoints/filters/audit.go). */
export const LATENCY_ANNOTATION_THRESHOLD_S = 0.5;

const FAILED_OPEN_MUTATING = "failed-open.mutation.webhook.admission.k8s.io/";
const FAILED_OPEN_VALIDATING = "failed-open.validating.webhook.admission.k8s.io/";

function where(q: WebhookAuditQuery, params: DuckDBValue[], extra = ""): string {
  return `WHERE true${extra}${filtersSql(q.filters, params, true)}`;
}

const TEXT = "CAST(annotations AS VARCHAR)";
/** Every annotation key about webhooks contains "webhook": a text search keeps JSON parsing to the few rows that matter. */
const WEBHOOK_ROWS = ` AND annotations IS NOT NULL AND contains(${TEXT}, 'webhook')`;

const WAIT = "coalesce(lat_mutating_webhook_s, 0) + coalesce(lat_validating_webhook_s, 0)";

/**
 * Everything in one statement, reading only the webhook-touched rows in full: every answer below is computed from
 * those few rows. Whether any request carries latency annotations stops at the first that does.
 */
export function webhookAuditSql(rel: string, q: WebhookAuditQuery): Sql {
  const params: DuckDBValue[] = [];
  const annotated = where(q, params, ` AND annotations IS NOT NULL AND contains(${TEXT}, '"apiserver.latency.k8s.io/')`);
  const touched = where(q, params, WEBHOOK_ROWS);
  const sql = `
WITH l AS MATERIALIZED (
  SELECT audit_id, epoch_ms(ts) AS ts, client, username, verb, request_uri, code, ${DERIVED.resource_name} AS resource, annotations,
    ${DERIVED.lat_mutating_webhook_s} AS lat_mutating_webhook_s, ${DERIVED.lat_validating_webhook_s} AS lat_validating_webhook_s,
    ${DERIVED.latency_s} AS latency_s, ${DERIVED.webhooks} AS webhooks, ${DERIVED.failed_open} AS failed_open
  FROM ${rel} ${touched}
),
calls AS (
  SELECT 'mutating' AS type, w.webhook AS webhook, w.configuration AS configuration, audit_id, verb, resource,
    coalesce(w.mutated, false) AS mutated, false AS failed_open
  FROM (SELECT audit_id, verb, resource, unnest(webhooks) AS w FROM l) WHERE w.webhook IS NOT NULL
  UNION ALL
  SELECT CASE WHEN starts_with(k, '${FAILED_OPEN_MUTATING}') THEN 'mutating' ELSE 'validating' END, annotation(annotations, k), NULL,
    audit_id, verb, resource, false, true
  FROM (SELECT audit_id, verb, resource, annotations, unnest(json_keys(annotations)) AS k FROM l)
  WHERE starts_with(k, '${FAILED_OPEN_MUTATING}') OR starts_with(k, '${FAILED_OPEN_VALIDATING}')
),
per_webhook AS (
  SELECT type, webhook, any_value(configuration) FILTER (WHERE configuration IS NOT NULL) AS configuration,
    count(DISTINCT audit_id) FILTER (WHERE NOT failed_open)::BIGINT AS requests,
    count(DISTINCT audit_id) FILTER (WHERE mutated)::BIGINT AS mutated,
    count(DISTINCT audit_id) FILTER (WHERE failed_open)::BIGINT AS failed_open
  FROM calls GROUP BY type, webhook
),
per_target AS (
  SELECT type, webhook, verb || ' ' || resource AS target,
    row_number() OVER (PARTITION BY type, webhook ORDER BY count(DISTINCT audit_id) DESC, verb || ' ' || resource) AS rank
  FROM calls GROUP BY type, webhook, verb, resource
),
ran AS (
  SELECT p.*, list(t.target ORDER BY t.rank) FILTER (WHERE t.rank <= 3) AS targets
  FROM per_webhook p LEFT JOIN per_target t USING (type, webhook)
  GROUP BY ALL ORDER BY failed_open DESC, requests DESC, type, webhook LIMIT ${q.top}
),
-- Mutating webhooks run one after another (their time is summed), validating ones in parallel (the slowest counts).
waits AS (
  SELECT kind, count(s)::BIGINT AS requests, quantile_cont(s, 0.5) AS p50, quantile_cont(s, 0.99) AS p99, max(s) AS max,
    sum(s) AS seconds, sum(s) / nullif(sum(latency_s), 0) AS share
  FROM (
    SELECT 'mutating' AS kind, lat_mutating_webhook_s AS s, latency_s FROM l WHERE lat_mutating_webhook_s IS NOT NULL
    UNION ALL
    SELECT 'validating', lat_validating_webhook_s, latency_s FROM l WHERE lat_validating_webhook_s IS NOT NULL
  ) GROUP BY kind
),
shapes AS (
  SELECT client, verb, resource, count(*)::BIGINT AS requests, sum(${WAIT}) AS seconds,
    quantile_cont(${WAIT}, 0.99) AS p99, sum(${WAIT}) / nullif(sum(latency_s), 0) AS share
  FROM l WHERE lat_mutating_webhook_s IS NOT NULL OR lat_validating_webhook_s IS NOT NULL
  GROUP BY ALL ORDER BY seconds DESC, client, verb, resource LIMIT ${q.top}
),
slowest AS (
  SELECT * EXCLUDE (annotations, webhooks), list_transform(webhooks, w -> {'webhook': w.webhook, 'mutated': w.mutated}) AS webhooks, ${WAIT} AS wait
  FROM l WHERE lat_mutating_webhook_s IS NOT NULL OR lat_validating_webhook_s IS NOT NULL OR len(failed_open) > 0 OR len(webhooks) > 0
  ORDER BY wait DESC, ts DESC, audit_id LIMIT ${q.top}
)
SELECT EXISTS (SELECT 1 FROM ${rel} ${annotated}) AS annotated,
  (SELECT count(*) FROM l WHERE lat_mutating_webhook_s IS NOT NULL OR lat_validating_webhook_s IS NOT NULL)::BIGINT AS waited,
  (SELECT list(r ORDER BY r.failed_open DESC, r.requests DESC, r.type, r.webhook) FROM ran r) AS ran,
  (SELECT list(w ORDER BY w.kind) FROM waits w) AS waits,
  (SELECT list(x ORDER BY x.seconds DESC, x.client, x.verb, x.resource) FROM shapes x) AS shapes,
  (SELECT list(e ORDER BY e.wait DESC, e.ts DESC, e.audit_id) FROM slowest e) AS slowest`;
  return { sql, params };
}

/** Requests slow enough to carry latency annotations: counted only when none carries any (a full scan). */
export function slowRequestsSql(rel: string, q: WebhookAuditQuery): Sql {
  const params: DuckDBValue[] = [];
  const sql = `SELECT count(*)::BIGINT AS slow FROM ${rel} ${where(q, params, ` AND ${DERIVED.request_latency_s} > ${LATENCY_ANNOTATION_THRESHOLD_S}`)}`;
  return { sql, params };
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const rowsOf = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);

/** The answer from the statement's one row, and the count of slow requests when it was needed. */
export function toWebhookAudit(row: Row | undefined, slow: number | null): WebhookAuditAnswer {
  const [ran, waits, shapes] = [rowsOf(row?.ran), rowsOf(row?.waits), rowsOf(row?.shapes)];
  const slowest = rowsOf(row?.slowest).map(({ wait: _wait, ...e }) => e);
  return {
    slowRequests: slow,
    waitedRequests: num(row?.waited),
    latencyAnnotations: latencyAnnotationCoverage(row?.annotated === true, slow),
    webhooks: ran.map((r) => ({
      type: r.type === "validating" ? "validating" : "mutating",
      webhook: String(r.webhook ?? ""),
      configuration: r.configuration === null || r.configuration === undefined ? null : String(r.configuration),
      requests: num(r.requests),
      mutated: num(r.mutated),
      failedOpen: num(r.failed_open),
      targets: Array.isArray(r.targets) ? r.targets.map(String) : [],
    })),
    waits: waits.map((r) => ({
      kind: r.kind === "validating" ? "validating" : "mutating",
      requests: num(r.requests),
      p50: num(r.p50),
      p99: num(r.p99),
      max: num(r.max),
      seconds: num(r.seconds),
      share: numOrNull(r.share),
    })),
    shapes: shapes.map((r) => ({
      client: String(r.client ?? ""),
      verb: String(r.verb ?? ""),
      resource: String(r.resource ?? ""),
      requests: num(r.requests),
      seconds: num(r.seconds),
      p99: num(r.p99),
      share: numOrNull(r.share),
    })),
    slowest,
  };
}
