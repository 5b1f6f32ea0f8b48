// The segment catalog: every Parquet segment (and its rollup) is written first, then cataloged in the writer's
// transaction; files the catalog does not know are leftovers of interrupted writes, removed at start.
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../store/sql";
import { rows } from "../store/store";
import type { AuditStore } from "./audit-store";
import { coarseFile } from "./rollup/rollup-sql";

export interface NewSegment {
  id: number;
  file: string;
  full: string;
}

const value = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

export async function newSegment(conn: DuckDBConnection, store: AuditStore): Promise<NewSegment> {
  const [{ id }] = (await rows<{ id: number }>(conn, "SELECT nextval('segment_ids') AS id")) as [{ id: number }];
  const file = `seg-${String(id).padStart(8, "0")}.parquet`;
  return { id, file, full: path.join(store.segmentsDir, file) };
}

/**
 * Catalogs a written segment from its own contents; an empty one is removed instead. Returns its rows. `upload`:
 * the upload it belongs to (kept until deleted), or null for followed and webhook data (kept by retention).
 */
export async function catalogSegment(conn: DuckDBConnection, seg: NewSegment, storedFilter: string, upload: string | null = null): Promise<number> {
  const [m] = await rows<{ n: number; min_ts: number | null; max_ts: number | null; min_r: number | null; max_r: number | null }>(
    conn,
    `SELECT count(*) AS n, min(ts) AS min_ts, max(ts) AS max_ts, min(received_at) AS min_r, max(received_at) AS max_r
     FROM read_parquet(${sqlString(seg.full)}, union_by_name = true) WHERE ${storedFilter}`,
  );
  if (!m || m.n === 0) {
    rmSync(seg.full, { force: true });
    return 0;
  }
  await conn.run(
    `INSERT INTO segments (id, file, rows, bytes, min_ts, max_ts, min_received, max_received, created_at, upload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)`,
    [seg.id, seg.file, m.n, statSync(seg.full).size, value(m.min_ts!), value(m.max_ts!), value(m.min_r!), value(m.max_r!), upload],
  );
  return m.n;
}

export interface CatalogedSegment {
  id: number;
  file: string;
  rollup_file: string | null;
}

/** How long a replaced or dropped file stays on disk: queries planned before the change may still open it. */
const RETIRE_GRACE_MS = 120_000;

/** Marks files for deletion after the grace period (in the caller's transaction, if any). */
export async function retireFiles(conn: DuckDBConnection, files: ReadonlyArray<string | null>): Promise<void> {
  for (const f of files) if (f) await conn.run("INSERT OR IGNORE INTO retired_files VALUES ($1, now())", [f]);
}

/** Removes a segment and its rollups from the catalog; their files are retired. */
export async function dropSegment(conn: DuckDBConnection, s: CatalogedSegment): Promise<void> {
  await conn.run("DELETE FROM segments WHERE id = $1", [s.id]);
  await retireFiles(conn, [s.file, s.rollup_file, s.rollup_file && coarseFile(s.rollup_file)]);
}

/** Deletes retired files older than the grace period (all of them at open, when no query runs). */
export async function purgeRetired(conn: DuckDBConnection, store: AuditStore, graceMs = RETIRE_GRACE_MS): Promise<number> {
  const due = await rows<{ file: string }>(conn, `SELECT file FROM retired_files WHERE retired_at <= now() - INTERVAL ${Math.round(graceMs)} MILLISECOND`);
  for (const { file } of due) {
    rmSync(path.join(store.segmentsDir, file), { force: true });
    await conn.run("DELETE FROM retired_files WHERE file = $1", [file]);
  }
  return due.length;
}
