// Rollups: requests pre-aggregated per 5 minutes. Two levels per segment: "fine" keeps the user and the source
// (for distinct sources, fan-out, per-user views); "coarse" drops them, so per-client and per-shape views read a
// few thousand rows instead of one per node. Queries over long windows read rollups; window edges and the newest
// data are aggregated on the fly with the same SQL, so answers are exact.
import { DERIVED } from "../query/derived";
import { bucketIndexSql, HISTOGRAM_BUCKETS } from "./histogram";

export const ROLLUP_SECONDS = 300;

export type RollupLevel = "fine" | "coarse";

const SOURCE_KEYS = ["username", "source_ip"] as const;
const SHAPE_KEYS = ["client", "verb", "api_group", "resource", "subresource", "path", "namespace", "code", "scope", "rv0", "has_limit"] as const;
export const ROLLUP_KEYS: Record<RollupLevel, readonly string[]> = { fine: [...SHAPE_KEYS, ...SOURCE_KEYS], coarse: SHAPE_KEYS };

/** Columns only the fine level has: queries grouping or filtering by them need it. */
export const FINE_ONLY_COLUMNS: readonly string[] = SOURCE_KEYS;

export const HISTOGRAM_COLUMNS = Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) => `h${i}`);

/** The coarse companion of a (fine) rollup file. */
export const coarseFile = (rollupFile: string) => rollupFile.replace(/\.rollup\.parquet$/, ".rollup-coarse.parquet");

const LATENCY_MICROS = "date_diff('microsecond', received_at, ts)";

/** Key expressions over stored requests (a few are derived). */
const KEY_SQL: Record<string, string> = {
  path: "CASE WHEN resource IS NULL THEN split_part(request_uri, '?', 1) END",
  scope: DERIVED.scope,
  rv0: `CASE WHEN verb IN ('list', 'watch') THEN ${DERIVED.rv0} END`,
  has_limit: `CASE WHEN verb IN ('list', 'watch') THEN ${DERIVED.has_limit} END`,
};

/** A narrower aggregate for a caller that needs only some keys and no latency (request counts over time). */
export interface RollupColumns {
  keys: readonly string[];
  histogram: boolean;
}

/**
 * Aggregates a relation of stored requests into rollup rows: bucket, the level's keys, n, first_ts/last_ts (for
 * request intervals) and the latency histogram of requests that are not long-running.
 */
export function rollupSelect(relation: string, level: RollupLevel = "fine", bucketSeconds = ROLLUP_SECONDS, only?: RollupColumns): string {
  const keys = (only?.keys ?? ROLLUP_KEYS[level]).map((k) => (KEY_SQL[k] ? `${KEY_SQL[k]} AS ${k}` : k));
  const withHistogram = only?.histogram ?? true;
  const histogram = HISTOGRAM_COLUMNS.map((h, i) => `count(*) FILTER (WHERE b = ${i})::UINTEGER AS ${h}`);
  const latencyBucket = `CASE WHEN ${DERIVED.request_latency_s} IS NOT NULL THEN ${bucketIndexSql(LATENCY_MICROS)} END AS b`;
  return `
SELECT time_bucket(INTERVAL ${bucketSeconds} SECOND, ts, TIMESTAMP '1970-01-01') AS bucket, ${[...keys, ""].join(", ")}
    count(*)::UINTEGER AS n, min(ts) AS first_ts, max(ts) AS last_ts${withHistogram ? `,\n    ${histogram.join(",\n    ")}` : ""}
FROM (SELECT *${withHistogram ? `, ${latencyBucket}` : ""} FROM ${relation})
GROUP BY ALL`;
}

/** Rolls fine rollup rows up to the coarse level (the coarse file is built from the fine one, not the requests). */
export function coarsenSelect(fineRelation: string): string {
  const keys = ROLLUP_KEYS.coarse.join(", ");
  return `SELECT bucket, ${keys}, sum(n)::UINTEGER AS n, min(first_ts) AS first_ts, max(last_ts) AS last_ts,
    ${HISTOGRAM_COLUMNS.map((h) => `sum(${h})::UINTEGER AS ${h}`).join(", ")}
  FROM ${fineRelation} GROUP BY bucket, ${keys}`;
}
