import "server-only";
// Uploads are kept until deleted: their rows live in segments of their own (never in the hot table, never merged
// with live data), tagged with the upload's source along with its open requests, so that deleting an upload
// removes exactly its requests, rollups and accounting, and age-based retention never touches them.
import type { DuckDBConnection } from "@duckdb/node-api";
import { rows } from "../store/store";
import { dropSegment, type CatalogedSegment } from "./segments";
import type { DeletedUpload } from "./types";

/**
 * Notes when an upload was stored (in the transaction of its rows). Uploading the same name again adds to it. The
 * time is UTC from the clock retention compares it with (DuckDB's now() would be local time in a TIMESTAMP).
 */
export async function recordUpload(conn: DuckDBConnection, source: string, nowMs = Date.now()): Promise<void> {
  const at = new Date(nowMs).toISOString().replace("T", " ").replace("Z", "");
  await conn.run("INSERT INTO uploads VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET uploaded_at = excluded.uploaded_at", [source, at]);
}

/**
 * Deletes an upload in one transaction (the caller holds the writer): its segments and their rollups (files are
 * retired, so queries already reading them finish), its open requests and its accounting. Null when unknown.
 */
export async function deleteUpload(conn: DuckDBConnection, source: string): Promise<DeletedUpload | null> {
  const segments = await rows<CatalogedSegment & { rows: number }>(conn, "SELECT id, file, rollup_file, rows FROM segments WHERE upload = $1", [source]);
  const [known] = await rows<{ open: number; counted: number; listed: number }>(
    conn,
    `SELECT (SELECT count(*) FROM open_requests WHERE upload = $1) AS open, (SELECT count(*) FROM ingest_counts WHERE source = $1) AS counted,
            (SELECT count(*) FROM uploads WHERE source = $1) AS listed`,
    [source],
  );
  if (segments.length === 0 && known!.open + known!.counted + known!.listed === 0) return null;
  await conn.run("BEGIN TRANSACTION");
  try {
    for (const s of segments) await dropSegment(conn, s);
    await conn.run("DELETE FROM open_requests WHERE upload = $1", [source]);
    await conn.run("DELETE FROM ingest_counts WHERE source = $1", [source]);
    await conn.run("DELETE FROM skip_samples WHERE source = $1", [source]);
    await conn.run("DELETE FROM uploads WHERE source = $1", [source]);
    await conn.run("COMMIT");
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
  return { source, requests: segments.reduce((n, s) => n + s.rows, 0), open: known!.open, segments: segments.length };
}

export interface UploadSize {
  source: string;
  uploadedMs: number;
  bytes: number;
}

/** Every upload with its size on disk, the least recently uploaded first. */
export async function uploadSizes(conn: DuckDBConnection): Promise<UploadSize[]> {
  return rows<UploadSize>(
    conn,
    `SELECT u.source, u.uploaded_at AS "uploadedMs", coalesce(sum(s.bytes), 0) AS bytes
     FROM uploads u LEFT JOIN segments s ON s.upload = u.source GROUP BY ALL ORDER BY u.uploaded_at, u.source`,
  );
}
