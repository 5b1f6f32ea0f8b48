// Normalisation of audit events, in SQL: DuckDB runs it on whole files at parse speed. The SQL is built here by
// pure functions and tested on real DuckDB with hand-written events (normalize-sql.test.ts). Ingest computes
// only what must be stored (the client name); the rest is derived when queried (derived-sql.ts).
import { ALL_STAGES } from "./columns";

/** Longest client name kept; user agents are attacker-controlled and can be kilobytes long. */
export const MAX_CLIENT_LENGTH = 200;

export const MACROS_SQL = `
-- "kubelet/v1.29.1 (linux/amd64) kubernetes/4fe4c7c": the first token is product/version; client-go appends the
-- controller after the build: "… (linux/amd64) kubernetes/4fe4c7c/replicaset-controller". With
-- --use-service-account-credentials the suffix is the controller's service account
-- ("…/system:serviceaccount:kube-system:replicaset-controller"): its name (after the last ":") is the controller.
CREATE OR REPLACE MACRO ua_version(ua) AS nullif(split_part(split_part(ua, ' ', 1), '/', 2), '');
CREATE OR REPLACE MACRO ua_controller(ua) AS nullif(regexp_replace(
  regexp_extract(ua, '\\) [^/ ]+/[^/ ]+/(.+)$', 1), '^system:serviceaccount:.*:', ''), '');
CREATE OR REPLACE MACRO ua_client(ua) AS coalesce(nullif(left(
  split_part(split_part(ua, ' ', 1), '/', 1) || coalesce('/' || ua_controller(ua), ''),
  ${MAX_CLIENT_LENGTH}), ''), '(none)');
-- One annotation value of a JSON annotations object.
CREATE OR REPLACE MACRO annotation(a, key) AS json_extract_string(a, '$."' || key || '"');
-- Go time.Duration.String() ("1m0.003s", "28.677µs", "812.5ms") in seconds.
CREATE OR REPLACE MACRO go_duration_s(d) AS (
  CASE WHEN d IS NULL OR d = '' THEN NULL ELSE
  list_sum(list_transform(regexp_extract_all(d, '([0-9]+(?:\\.[0-9]+)?)(h|ms|m|s|µs|us|ns)', 0), p ->
    CAST(regexp_extract(p, '^([0-9.]+)', 1) AS DOUBLE) *
    CASE regexp_extract(p, '(h|ms|m|s|µs|us|ns)$', 1)
      WHEN 'h' THEN 3600 WHEN 'm' THEN 60 WHEN 's' THEN 1 WHEN 'ms' THEN 1e-3
      WHEN 'µs' THEN 1e-6 WHEN 'us' THEN 1e-6 ELSE 1e-9 END))
  END
);
`;

export interface NormalizeOptions {
  nowMs: number;
  /** Events older than this are skipped; null keeps them whatever their age (uploads, read for post-mortems). */
  retentionSeconds: number | null;
  /**
   * The robust path: the relation carries a `__line` column, and skipped events get a `detail`. The fast path
   * leaves both out; when it finds anything to skip, the input is read again the robust way.
   */
  robust?: boolean;
}

const FUTURE_SLACK_SECONDS = 3600;
const sqlTimestamp = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().replace("T", " ").replace("Z", "")}'`;
const STAGES = ALL_STAGES.map((s) => `'${s}'`).join(", ");
const API_VERSIONS = "'audit.k8s.io/v1', 'audit.k8s.io/v1beta1'";

/**
 * SELECT over a relation typed by EVENT_FIELDS (see fields.ts) producing the stored columns plus `reason`,
 * `detail` and `line` for events that must be skipped.
 */
export function normalizeSelect(from: string, o: NormalizeOptions): string {
  const oldest = o.retentionSeconds === null ? null : sqlTimestamp(o.nowMs - o.retentionSeconds * 1000);
  const future = sqlTimestamp(o.nowMs + FUTURE_SLACK_SECONDS * 1000);
  return `
WITH src AS (
  SELECT *,
    coalesce(stageTimestamp, "timestamp") AS ts_text,
    TRY_CAST(coalesce(stageTimestamp, "timestamp") AS TIMESTAMP) AS ts_parsed,
    CAST(annotations AS VARCHAR) AS annotations_text
  FROM ${from}
)
SELECT
  auditID AS audit_id,
  stage,
  ts_parsed AS ts,
  coalesce(TRY_CAST(requestReceivedTimestamp AS TIMESTAMP), ts_parsed) AS received_at,
  verb,
  ua_client(userAgent) AS client,
  userAgent AS user_agent,
  "user".username AS username,
  "user".groups AS groups,
  sourceIPs[1] AS source_ip,
  coalesce(objectRef.apiGroup, '') AS api_group,
  objectRef.apiVersion AS api_version,
  objectRef.resource AS resource,
  nullif(objectRef.subresource, '') AS subresource,
  nullif(objectRef.namespace, '') AS namespace,
  nullif(objectRef.name, '') AS name,
  CAST(responseStatus.code AS SMALLINT) AS code,
  requestURI AS request_uri,
  CASE WHEN contains(annotations_text, 'latency.k8s.io/') OR contains(annotations_text, 'webhook.admission.k8s.io/')
    THEN annotations END AS annotations,
  CASE
    WHEN auditID IS NULL OR auditID = '' THEN 'missing_field'
    WHEN apiVersion NOT IN (${API_VERSIONS}) THEN 'unknown_api_version'
    WHEN stage IS NULL OR stage = '' THEN 'missing_field'
    WHEN stage NOT IN (${STAGES}) THEN 'unknown_stage'
    WHEN verb IS NULL OR verb = '' THEN 'missing_field'
    WHEN ts_text IS NULL THEN 'missing_field'
    WHEN ts_parsed IS NULL THEN 'bad_timestamp'
    WHEN ts_parsed > ${future} THEN 'in_future'
    ${oldest === null ? "" : `WHEN ts_parsed < ${oldest} THEN 'older_than_retention'`}
  END AS reason,
  ${
    o.robust
      ? `CASE
    WHEN auditID IS NULL OR auditID = '' THEN 'auditID'
    WHEN apiVersion NOT IN (${API_VERSIONS}) THEN left(apiVersion, 100)
    WHEN stage IS NULL OR stage = '' THEN 'stage'
    WHEN stage NOT IN (${STAGES}) THEN left(stage, 100)
    WHEN verb IS NULL OR verb = '' THEN 'verb'
    WHEN ts_text IS NULL THEN 'stageTimestamp'
    ELSE left(ts_text, 100)
  END`
      : "CAST(NULL AS VARCHAR)"
  } AS detail,
  ${o.robust ? "__line" : "CAST(NULL AS BIGINT)"} AS line
FROM src`;
}
