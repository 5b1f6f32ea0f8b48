import "server-only";
// The audit pipeline's view of the store: the shared DuckDB database (its tables: the hot rows, open requests, the
// segment catalog, file offsets, accounting) plus the immutable Parquet segments and staging files it keeps in the
// data directory. Its start step brings the audit tables up to date, (re)defines the SQL macros its queries use,
// and removes files left behind by writes interrupted before commit.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { migrate } from "../store/migrations";
import { rows, type Store } from "../store/store";
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_OWNER } from "./migrations";
import { MACROS_SQL } from "./normalize-sql";
import { coarseFile } from "./rollup/rollup-sql";

/** The store as the audit pipeline uses it. It cannot close the store: whoever opened it does. */
export interface AuditStore extends Omit<Store, "close"> {
  /** Parquet segments and their rollups, cataloged in `segments`. */
  readonly segmentsDir: string;
  /** Files being written (emptied at start). */
  readonly stagingDir: string;
}

/**
 * Parquet files the catalog does not know come from writes interrupted before commit, or were retired (no query
 * runs yet at start): removes them, and empties the staging directory.
 */
async function removeOrphans(conn: DuckDBConnection, segmentsDir: string, stagingDir: string): Promise<void> {
  await conn.run("DELETE FROM retired_files");
  const known = new Set(
    (await rows<{ file: string; rollup_file: string | null }>(conn, "SELECT file, rollup_file FROM segments")).flatMap((r) =>
      r.rollup_file ? [r.file, r.rollup_file, coarseFile(r.rollup_file)] : [r.file],
    ),
  );
  for (const f of readdirSync(segmentsDir)) if (!known.has(f)) rmSync(path.join(segmentsDir, f), { force: true });
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(stagingDir, { recursive: true });
}

/** Audit's start step on a store; no audit query may run on it before this resolves. */
export async function prepareAuditStore(store: Store): Promise<AuditStore> {
  const segmentsDir = path.join(store.dataDir, "segments");
  const stagingDir = path.join(store.dataDir, "staging");
  mkdirSync(segmentsDir, { recursive: true });
  await migrate(store, AUDIT_MIGRATIONS_OWNER, AUDIT_MIGRATIONS);
  await store.write(async (conn) => {
    await conn.run(MACROS_SQL);
    await removeOrphans(conn, segmentsDir, stagingDir);
  });
  return {
    dataDir: store.dataDir,
    segmentsDir,
    stagingDir,
    write: <T>(fn: (conn: DuckDBConnection) => Promise<T>) => store.write(fn),
    query: <T>(sql: string, params?: DuckDBValue[]) => store.query<T>(sql, params),
    exec: (sql) => store.exec(sql),
  };
}
