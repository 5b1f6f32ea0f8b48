import "server-only";
// Keeping the store bounded: the hot table is flushed into Parquet segments, and retention by age and by size
// runs continuously (whole segments are dropped; a segment straddling the age limit is rewritten). Age applies to
// what was followed or received live; uploads are kept until deleted, or until their own limit after upload.
import { rmSync } from "node:fs";
import path from "node:path";
import { EVENT_COLUMN_NAMES } from "./columns";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "./ingest/chunk-filter";
import { sqlString, sqlTimestamp } from "../store/sql";
import { rows } from "../store/store";
import type { AuditStore } from "./audit-store";
import { catalogSegment, dropSegment, newSegment, purgeRetired } from "./segments";
import { deleteUpload, uploadSizes } from "./uploads";

const COLS = EVENT_COLUMN_NAMES.join(", ");
/** Hot rows moved to a segment at once. */
export const HOT_FLUSH_ROWS = 200_000;

/** Moves the hot table into a new segment when it is big enough (or when asked to, e.g. at shutdown). */
export async function flushHot(store: AuditStore, force = false): Promise<number> {
  return store.write(async (conn) => {
    const [{ n }] = (await rows<{ n: number }>(conn, "SELECT count(*) AS n FROM events_hot")) as [{ n: number }];
    if (n === 0 || (!force && n < HOT_FLUSH_ROWS)) return 0;
    const seg = await newSegment(conn, store);
    await conn.run(`COPY (SELECT ${COLS}, ${SEGMENT_REASON_COLUMN} FROM events_hot) TO ${sqlString(seg.full)} (FORMAT parquet, COMPRESSION zstd)`);
    await conn.run("BEGIN TRANSACTION");
    try {
      await catalogSegment(conn, seg, STORED_FILTER);
      await conn.run("DELETE FROM events_hot");
      await conn.run("COMMIT");
    } catch (err) {
      await conn.run("ROLLBACK").catch(() => undefined);
      rmSync(seg.full, { force: true });
      throw err;
    }
    return n;
  });
}

export interface RetentionResult {
  droppedSegments: number;
  rewrittenSegments: number;
  deletedHotRows: number;
  /** Uploads deleted: past APISCOPE_AUDIT_UPLOAD_RETENTION, or to bring the store under APISCOPE_AUDIT_MAX_BYTES. */
  deletedUploads: string[];
}

interface Segment {
  id: number;
  file: string;
  rollup_file: string | null;
  bytes: number;
  min_ts: number;
  max_ts: number;
}

/** What size-based retention may drop: a live segment, or a whole upload. */
type Unit = { kind: "segment"; segment: Segment; at: number; bytes: number } | { kind: "upload"; source: string; at: number; bytes: number };

/**
 * Deletes live data (followed files, the webhook) older than the retention period and uploads past their own
 * limit (none by default). Then, while the store is larger than `maxBytes`, what arrived first goes first: live
 * segments by the age of their requests, uploads — whole, never in part — by when they were uploaded.
 */
export async function enforceRetention(
  store: AuditStore,
  nowMs: number,
  retentionSeconds: number,
  maxBytes: number,
  uploadRetentionSeconds: number | null = null,
): Promise<RetentionResult> {
  const cutoff = nowMs - retentionSeconds * 1000;
  return store.write(async (conn) => {
    const result: RetentionResult = { droppedSegments: 0, rewrittenSegments: 0, deletedHotRows: 0, deletedUploads: [] };
    const [{ n }] = (await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM events_hot WHERE ts < ${sqlTimestamp(cutoff)}`)) as [{ n: number }];
    if (n > 0) await conn.run(`DELETE FROM events_hot WHERE ts < ${sqlTimestamp(cutoff)}`);
    await conn.run(`DELETE FROM open_requests WHERE ts < ${sqlTimestamp(cutoff)} AND upload IS NULL`);
    result.deletedHotRows = n;
    const removeUpload = async (source: string) => {
      const deleted = await deleteUpload(conn, source);
      if (deleted) result.deletedUploads.push(source);
    };
    if (uploadRetentionSeconds !== null) {
      for (const u of await uploadSizes(conn)) if (u.uploadedMs < nowMs - uploadRetentionSeconds * 1000) await removeUpload(u.source);
    }
    const live = () => rows<Segment>(conn, "SELECT id, file, rollup_file, bytes, min_ts, max_ts FROM segments WHERE upload IS NULL ORDER BY max_ts");
    const drop = async (s: Segment) => {
      await dropSegment(conn, s);
      result.droppedSegments++;
    };
    for (const s of await live()) {
      if (s.max_ts < cutoff) await drop(s);
      else if (s.min_ts < cutoff) {
        // Straddles the limit: keep only its recent part.
        const seg = await newSegment(conn, store);
        await conn.run(
          `COPY (SELECT ${COLS}, ${SEGMENT_REASON_COLUMN} FROM read_parquet(${sqlString(path.join(store.segmentsDir, s.file))}, union_by_name = true)
                 WHERE ${STORED_FILTER} AND ts >= ${sqlTimestamp(cutoff)}) TO ${sqlString(seg.full)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        await conn.run("BEGIN TRANSACTION");
        try {
          await catalogSegment(conn, seg, STORED_FILTER);
          await dropSegment(conn, s);
          await conn.run("COMMIT");
        } catch (err) {
          await conn.run("ROLLBACK").catch(() => undefined);
          rmSync(seg.full, { force: true });
          throw err;
        }
        result.rewrittenSegments++;
      }
    }
    // By size, over everything stored.
    const segments = await live();
    const uploads = await uploadSizes(conn);
    let total = segments.reduce((a, s) => a + s.bytes, 0) + uploads.reduce((a, u) => a + u.bytes, 0);
    const units: Unit[] = [
      ...segments.map((s): Unit => ({ kind: "segment", segment: s, at: s.max_ts, bytes: s.bytes })),
      ...uploads.map((u): Unit => ({ kind: "upload", source: u.source, at: u.uploadedMs, bytes: u.bytes })),
    ].sort((a, b) => a.at - b.at);
    for (const unit of units) {
      if (total <= maxBytes) break;
      if (unit.kind === "upload") await removeUpload(unit.source);
      else await drop(unit.segment);
      total -= unit.bytes;
    }
    await purgeRetired(conn, store);
    return result;
  });
}
