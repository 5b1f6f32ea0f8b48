import "server-only";
// Keeping the store bounded: the hot table is flushed into Parquet segments, and retention by age and by size
// runs continuously (whole segments are dropped; a segment straddling the age limit is rewritten).
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { EVENT_COLUMN_NAMES } from "./columns";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "./ingest/chunk-filter";
import { rows, type Store } from "./store/store";
import { sqlString, sqlTimestamp } from "./store/sql";

const COLS = EVENT_COLUMN_NAMES.join(", ");
/** Hot rows moved to a segment at once. */
export const HOT_FLUSH_ROWS = 200_000;

const value = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

async function newSegmentFile(store: Store, conn: Parameters<Parameters<Store["write"]>[0]>[0]): Promise<{ id: number; file: string; full: string }> {
  const [{ id }] = (await rows<{ id: number }>(conn, "SELECT nextval('segment_ids') AS id")) as [{ id: number }];
  const file = `seg-${String(id).padStart(8, "0")}.parquet`;
  return { id, file, full: path.join(store.segmentsDir, file) };
}

async function catalog(conn: Parameters<Parameters<Store["write"]>[0]>[0], id: number, file: string, full: string): Promise<number> {
  const [m] = await rows<{ n: number; min_ts: number | null; max_ts: number | null; min_r: number | null; max_r: number | null }>(
    conn,
    `SELECT count(*) AS n, min(ts) AS min_ts, max(ts) AS max_ts, min(received_at) AS min_r, max(received_at) AS max_r FROM read_parquet(${sqlString(full)})`,
  );
  if (!m || m.n === 0) {
    rmSync(full, { force: true });
    return 0;
  }
  await conn.run("INSERT INTO segments VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())", [
    id, file, m.n, statSync(full).size, value(m.min_ts!), value(m.max_ts!), value(m.min_r!), value(m.max_r!),
  ]);
  return m.n;
}

/** Moves the hot table into a new segment when it is big enough (or when asked to, e.g. at shutdown). */
export async function flushHot(store: Store, force = false): Promise<number> {
  return store.write(async (conn) => {
    const [{ n }] = (await rows<{ n: number }>(conn, "SELECT count(*) AS n FROM events_hot")) as [{ n: number }];
    if (n === 0 || (!force && n < HOT_FLUSH_ROWS)) return 0;
    const seg = await newSegmentFile(store, conn);
    await conn.run(`COPY (SELECT ${COLS}, ${SEGMENT_REASON_COLUMN} FROM events_hot) TO ${sqlString(seg.full)} (FORMAT parquet, COMPRESSION zstd)`);
    await conn.run("BEGIN TRANSACTION");
    try {
      await catalog(conn, seg.id, seg.file, seg.full);
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
    const segments = await rows<{ id: number; file: string; bytes: number; min_ts: number; max_ts: number }>(
      conn,
      "SELECT id, file, bytes, min_ts, max_ts FROM segments ORDER BY max_ts",
    );
    const drop = async (s: { id: number; file: string }) => {
      await conn.run("DELETE FROM segments WHERE id = $1", [s.id]);
      rmSync(path.join(store.segmentsDir, s.file), { force: true });
      result.droppedSegments++;
    };
    let total = segments.reduce((a, s) => a + s.bytes, 0);
    for (const s of segments) {
      if (s.max_ts < cutoff || total > maxBytes) {
        await drop(s);
        total -= s.bytes;
      } else if (s.min_ts < cutoff) {
        // Straddles the limit: keep only its recent part.
        const seg = await newSegmentFile(store, conn);
        await conn.run(
          `COPY (SELECT ${COLS}, ${SEGMENT_REASON_COLUMN} FROM read_parquet(${sqlString(path.join(store.segmentsDir, s.file))}, union_by_name = true)
                 WHERE ${STORED_FILTER} AND ts >= ${sqlTimestamp(cutoff)}) TO ${sqlString(seg.full)} (FORMAT parquet, COMPRESSION zstd)`,
        );
        await conn.run("BEGIN TRANSACTION");
        try {
          await catalog(conn, seg.id, seg.file, seg.full);
          await conn.run("DELETE FROM segments WHERE id = $1", [s.id]);
          await conn.run("COMMIT");
        } catch (err) {
          await conn.run("ROLLBACK").catch(() => undefined);
          rmSync(seg.full, { force: true });
          throw err;
        }
        rmSync(path.join(store.segmentsDir, s.file), { force: true });
        total += statSync(seg.full, { throwIfNoEntry: false })?.size ?? 0;
        total -= s.bytes;
        result.rewrittenSegments++;
      }
    }
    return result;
  });
}
