import "server-only";
// Keeping the store bounded: the hot table is flushed into Parquet segments, and retention by age and by size
// runs continuously (whole segments are dropped; a segment straddling the age limit is rewritten).
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { EVENT_COLUMN_NAMES } from "./columns";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "./ingest/chunk-filter";
import { catalogSegment, dropSegment, newSegment, purgeRetired } from "./store/segments";
import { rows, type Store } from "./store/store";
import { sqlString, sqlTimestamp } from "./store/sql";

const COLS = EVENT_COLUMN_NAMES.join(", ");
/** Hot rows moved to a segment at once. */
export const HOT_FLUSH_ROWS = 200_000;

/** Moves the hot table into a new segment when it is big enough (or when asked to, e.g. at shutdown). */
export async function flushHot(store: Store, force = false): Promise<number> {
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
}

/** Deletes what is older than the retention period, then the oldest segments while the store is too big. */
export async function enforceRetention(store: Store, nowMs: number, retentionSeconds: number, maxBytes: number): Promise<RetentionResult> {
  const cutoff = nowMs - retentionSeconds * 1000;
  return store.write(async (conn) => {
    const result: RetentionResult = { droppedSegments: 0, rewrittenSegments: 0, deletedHotRows: 0 };
    const [{ n }] = (await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM events_hot WHERE ts < ${sqlTimestamp(cutoff)}`)) as [{ n: number }];
    if (n > 0) await conn.run(`DELETE FROM events_hot WHERE ts < ${sqlTimestamp(cutoff)}`);
    await conn.run(`DELETE FROM open_requests WHERE ts < ${sqlTimestamp(cutoff)}`);
    result.deletedHotRows = n;
    const segments = await rows<{ id: number; file: string; rollup_file: string | null; bytes: number; min_ts: number; max_ts: number }>(
      conn,
      "SELECT id, file, rollup_file, bytes, min_ts, max_ts FROM segments ORDER BY max_ts",
    );
    const drop = async (s: (typeof segments)[number]) => {
      await dropSegment(conn, s);
      result.droppedSegments++;
    };
    let total = segments.reduce((a, s) => a + s.bytes, 0);
    for (const s of segments) {
      if (s.max_ts < cutoff || total > maxBytes) {
        await drop(s);
        total -= s.bytes;
      } else if (s.min_ts < cutoff) {
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
        total += statSync(seg.full, { throwIfNoEntry: false })?.size ?? 0;
        total -= s.bytes;
        result.rewrittenSegments++;
      }
    }
    await purgeRetired(conn, store);
    return result;
  });
}
