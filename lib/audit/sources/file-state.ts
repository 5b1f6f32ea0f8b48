// What has been read of each audit log file, kept in the store and updated in the same transaction as the
// events it produced: a restart resumes exactly where the last committed chunk ended.
import type { DuckDBConnection } from "@duckdb/node-api";
import type { AuditStore } from "../audit-store";

export interface FileState {
  dev: number;
  ino: number;
  path: string;
  /** sha256 of the first FINGERPRINT_BYTES of the (uncompressed) content: recognises a file after rotation and compression. */
  fingerprint: string;
  /** Bytes of uncompressed content already ingested. */
  byte_offset: number;
  line_count: number;
  /** A compressed (rotated) file read to its end: never read again. */
  complete: boolean;
}

export const FINGERPRINT_BYTES = 1024;

export async function loadFileStates(store: AuditStore): Promise<FileState[]> {
  return store.query<FileState>("SELECT dev, ino, path, fingerprint, byte_offset, line_count, complete FROM file_offsets");
}

export async function saveFileState(conn: DuckDBConnection, s: FileState): Promise<void> {
  await conn.run(
    `INSERT INTO file_offsets VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (dev, ino) DO UPDATE SET path = excluded.path, fingerprint = excluded.fingerprint, byte_offset = excluded.byte_offset,
       line_count = excluded.line_count, complete = excluded.complete, updated_at = excluded.updated_at`,
    [s.dev, s.ino, s.path, s.fingerprint, s.byte_offset, s.line_count, s.complete],
  );
}
