import "server-only";
// One chunk of input → stored requests, exactly once. Normalised rows are first written to a staging Parquet file
// (at parse speed, touching no table); then, under the writer lock and in one transaction, they are checked for
// skips, duplicates and early stages, and land in a new segment or the hot table together with their accounting
// and (for files) the new read offset. A failure leaves nothing behind, so a retry stores nothing twice.
import { renameSync, rmSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { EVENT_COLUMN_NAMES } from "../columns";
import { normalizeSelect } from "../normalize-sql";
import type { Skip, SkipReason } from "../reasons";
import { sqlFileList, sqlString, sqlTimestamp } from "../../store/sql";
import { rows } from "../../store/store";
import type { AuditStore } from "../audit-store";
import { catalogSegment, newSegment } from "../segments";
import { addSkips, emptyOutcome, recordOutcome, type Outcome } from "./accounting";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "./chunk-filter";

export interface ChunkSpec {
  /** A relation typed by EVENT_FIELDS, e.g. read_json(…, columns=…). */
  relation: string;
  /** Input cleaned by the robust path (has line numbers; skips get details). */
  robust: boolean;
  source: string;
  /** Samples of problems found before SQL (robust path)… */
  skips: Skip[];
  /** …and their counts, added to this chunk's accounting. */
  skipCounts: Partial<Record<SkipReason, number>>;
  /** Large chunks become a Parquet segment; small ones join the hot table. */
  sink: "segment" | "hot";
  nowMs: number;
  retentionSeconds: number;
  /**
   * An uploaded log (source `upload:<name>`): read whatever its age (retention applies to what is followed or
   * received live), and its segments and open requests carry its source, so that it can be deleted as a whole.
   */
  upload?: boolean;
  /** Written in the same transaction as the rows (a file's new offset). */
  onCommit?: (conn: DuckDBConnection) => Promise<void>;
  /**
   * Sees the accepted completed requests inside the transaction (per-client metrics); what it returns runs once
   * the transaction has committed.
   */
  onAccepted?: (conn: DuckDBConnection, relation: string) => Promise<(() => void) | void>;
}

const COLS = EVENT_COLUMN_NAMES.join(", ");
const EARLY_FILTER = "reason IS NULL AND stage NOT IN ('ResponseComplete', 'Panic')";
const RANK = "CASE stage WHEN 'RequestReceived' THEN 1 WHEN 'ResponseStarted' THEN 2 ELSE 3 END";
let stagingSeq = 0;

/** Parses and normalises the chunk into a staging Parquet file. Touches no table, so it runs beside writes. */
export async function stageChunk(store: AuditStore, spec: ChunkSpec): Promise<string> {
  const file = path.join(store.stagingDir, `chunk-${process.pid}-${Date.now()}-${stagingSeq++}.parquet`);
  const retentionSeconds = spec.upload ? null : spec.retentionSeconds;
  const select = normalizeSelect(spec.relation, { nowMs: spec.nowMs, retentionSeconds, robust: spec.robust });
  await store.exec(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 61440)`);
  return file;
}

/** Whether a staging file holds events to skip (the fast path then re-reads its input the robust way). */
export async function hasSkips(store: AuditStore, staged: string): Promise<boolean> {
  const [r] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet(${sqlString(staged)}) WHERE reason IS NOT NULL`);
  return (r?.n ?? 0) > 0;
}

interface Stats {
  invalid: number;
  finals: number;
  distinct_finals: number;
  early: number;
  min_recv: number | null;
  max_recv: number | null;
  min_ts: number | null;
  max_ts: number | null;
}

const ts = (ms: number) => sqlTimestamp(ms);
const value = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
const count = async (conn: DuckDBConnection, sql: string) => (await rows<{ n: number }>(conn, `SELECT (${sql}) AS n`))[0]!.n;

export async function finalizeChunk(store: AuditStore, staged: string, spec: ChunkSpec): Promise<Outcome> {
  return store.write(async (conn) => {
    const tmp = `read_parquet(${sqlString(staged)})`;
    const s = (
      await rows<Stats>(
        conn,
        `SELECT count(*) FILTER (WHERE reason IS NOT NULL) AS invalid,
                count(*) FILTER (WHERE ${STORED_FILTER}) AS finals,
                count(DISTINCT audit_id) FILTER (WHERE ${STORED_FILTER}) AS distinct_finals,
                count(*) FILTER (WHERE ${EARLY_FILTER}) AS early,
                min(received_at) FILTER (WHERE reason IS NULL) AS min_recv, max(received_at) FILTER (WHERE reason IS NULL) AS max_recv,
                min(ts) FILTER (WHERE ${STORED_FILTER}) AS min_ts, max(ts) FILTER (WHERE ${STORED_FILTER}) AS max_ts
         FROM ${tmp}`,
      )
    )[0]!;
    const outcome = emptyOutcome();
    addSkips(outcome, Object.entries(spec.skipCounts).map(([reason, n]) => ({ reason: reason as SkipReason, count: n ?? 0 })));
    const samples = [...spec.skips];
    if (s.invalid > 0) {
      const reasons = await rows<{ reason: SkipReason; n: number }>(conn, `SELECT reason, count(*) AS n FROM ${tmp} WHERE reason IS NOT NULL GROUP BY reason`);
      addSkips(outcome, reasons.map((r) => ({ reason: r.reason, count: r.n })));
      samples.push(
        ...(await rows<Skip>(conn, `SELECT reason, coalesce(detail, '') AS detail, line FROM ${tmp} WHERE reason IS NOT NULL QUALIFY row_number() OVER (PARTITION BY reason) <= 5`)),
      );
    }
    const stored = s.min_recv === null ? null : await storedFinals(conn, store, s.min_recv, s.max_recv!);
    const dupStored = stored === null || s.finals === 0 ? 0 : await count(conn, `SELECT count(*) FROM ${tmp} WHERE ${STORED_FILTER} AND audit_id IN (SELECT audit_id FROM (${stored}))`);
    // Repeats inside the chunk, among requests not stored yet: every row of a stored request is already counted above.
    const dupChunk =
      dupStored === 0
        ? s.finals - s.distinct_finals
        : await count(conn, `SELECT count(*) - count(DISTINCT audit_id) FROM ${tmp} WHERE ${STORED_FILTER} AND audit_id NOT IN (SELECT audit_id FROM (${stored}))`);
    const openRows = await count(conn, "SELECT count(*) FROM open_requests");

    await conn.run("BEGIN TRANSACTION");
    let segment: { from: string; to: string } | null = null;
    let afterCommit: (() => void) | void = undefined;
    try {
      let dupEarly = 0;
      if (s.early > 0) {
        const early = await keepEarlyStages(conn, tmp, stored, s.early, spec.upload ? spec.source : null);
        outcome.open = early.opened;
        outcome.merged = early.merged;
        dupEarly = early.duplicate;
      }
      if (openRows > 0 && s.finals > 0) {
        await conn.run(`DELETE FROM open_requests WHERE audit_id IN (SELECT audit_id FROM ${tmp} WHERE ${STORED_FILTER})`);
      }
      addSkips(outcome, [{ reason: "duplicate", count: dupChunk + dupStored + dupEarly }]);
      const accepted =
        dupChunk + dupStored === 0
          ? `(SELECT ${COLS} FROM ${tmp} WHERE ${STORED_FILTER})`
          : `(SELECT ${COLS} FROM ${tmp} WHERE ${STORED_FILTER}${stored ? ` AND audit_id NOT IN (SELECT audit_id FROM (${stored}))` : ""}
              QUALIFY row_number() OVER (PARTITION BY audit_id ORDER BY ts) = 1)`;
      outcome.accepted = s.finals - dupChunk - dupStored;
      if (outcome.accepted > 0) {
        afterCommit = await spec.onAccepted?.(conn, accepted);
        if (spec.sink === "hot") await conn.run(`INSERT INTO events_hot SELECT ${COLS} FROM ${accepted}`);
        // A clean staging file is adopted as the segment; queries read it through STORED_FILTER.
        else segment = await addSegment(conn, store, dupChunk + dupStored === 0 ? staged : accepted, spec.upload ? spec.source : null);
      }
      await recordOutcome(conn, spec.source, outcome, samples);
      await spec.onCommit?.(conn);
      await conn.run("COMMIT");
      afterCommit?.();
    } catch (err) {
      await conn.run("ROLLBACK").catch(() => undefined);
      if (segment) rmSync(segment.to, { force: true });
      throw err;
    } finally {
      rmSync(staged, { force: true });
    }
    return outcome;
  });
}

/** Completed requests already stored around a time window: the hot table and overlapping segments. */
async function storedFinals(conn: DuckDBConnection, store: AuditStore, minRecv: number, maxRecv: number): Promise<string | null> {
  // minRecv and maxRecv come back from DuckDB as JS milliseconds, truncating audit timestamps' microseconds: the
  // range must include the whole last millisecond, or a request received in it is never found as a duplicate.
  const range = `received_at >= ${ts(minRecv)} AND received_at < ${ts(maxRecv + 1)}`;
  const files = (await rows<{ file: string }>(conn, "SELECT file FROM segments WHERE max_received >= $1 AND min_received <= $2", [value(minRecv), value(maxRecv)])).map(
    (r) => path.join(store.segmentsDir, r.file),
  );
  const hot = await count(conn, `SELECT count(*) FROM events_hot WHERE ${range}`);
  const parts = [
    ...(hot > 0 ? [`SELECT audit_id FROM events_hot WHERE ${range}`] : []),
    ...(files.length > 0 ? [`SELECT audit_id FROM read_parquet(${sqlFileList(files)}, union_by_name = true) WHERE ${range} AND ${STORED_FILTER}`] : []),
  ];
  return parts.length > 0 ? parts.join(" UNION ALL ") : null;
}

/**
 * Early stages (RequestReceived, ResponseStarted) of requests not completed yet — a WATCH still open — go to
 * open_requests, replacing an earlier stage of the same request; a request already completed keeps its final row.
 * Every early-stage event is counted once: opened; a duplicate (its request is already stored completed, or open
 * at that stage or a later one); or merged (a later stage of its request came with it).
 */
async function keepEarlyStages(
  conn: DuckDBConnection,
  tmp: string,
  stored: string | null,
  early: number,
  upload: string | null,
): Promise<{ opened: number; duplicate: number; merged: number }> {
  const completedBefore = stored ? await count(conn, `SELECT count(*) FROM ${tmp} WHERE ${EARLY_FILTER} AND audit_id IN (SELECT audit_id FROM (${stored}))`) : 0;
  const pending = `
    SELECT ${COLS}, ${RANK} AS rank FROM ${tmp} WHERE ${EARLY_FILTER}
      AND audit_id NOT IN (SELECT audit_id FROM ${tmp} WHERE ${STORED_FILTER})
      ${stored ? `AND audit_id NOT IN (SELECT audit_id FROM (${stored}))` : ""}
    QUALIFY row_number() OVER (PARTITION BY audit_id ORDER BY ${RANK} DESC, ts DESC) = 1`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE pending_early AS
    SELECT p.* EXCLUDE (rank), o.rank IS NULL OR o.rank < p.rank AS fresh FROM (${pending}) p
    LEFT JOIN (SELECT audit_id, max(${RANK}) AS rank FROM open_requests GROUP BY audit_id) o USING (audit_id)`);
  await conn.run("DELETE FROM open_requests WHERE audit_id IN (SELECT audit_id FROM pending_early WHERE fresh)");
  await conn.run(`INSERT INTO open_requests (${COLS}, upload) SELECT ${COLS}, $1 FROM pending_early WHERE fresh`, [upload]);
  const [n] = await rows<{ opened: number; again: number }>(conn, "SELECT count(*) FILTER (WHERE fresh) AS opened, count(*) FILTER (WHERE NOT fresh) AS again FROM pending_early");
  await conn.run("DROP TABLE pending_early");
  const duplicate = completedBefore + n!.again;
  return { opened: n!.opened, duplicate, merged: early - duplicate - n!.opened };
}

/** Catalogs a new segment: the staging file itself (adopted) or the rows of `relation`, copied. */
async function addSegment(conn: DuckDBConnection, store: AuditStore, source: string, upload: string | null): Promise<{ from: string; to: string }> {
  const seg = await newSegment(conn, store);
  if (source.startsWith("(")) await conn.run(`COPY (SELECT *, ${SEGMENT_REASON_COLUMN} FROM ${source}) TO ${sqlString(seg.full)} (FORMAT parquet, COMPRESSION zstd)`);
  else renameSync(source, seg.full);
  await catalogSegment(conn, seg, STORED_FILTER, upload);
  return { from: source, to: seg.full };
}
