import "server-only";
// The one store handle: an embedded DuckDB database (catalog, hot rows, accounting) plus immutable Parquet
// segments in the same data directory. One writer at a time (a queue); readers get their own connections.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { MACROS_SQL } from "../normalize-sql";
import { coarseFile } from "../rollup/rollup-sql";
import { MIGRATIONS, MIGRATIONS_TABLE } from "./migrations";
import { plain } from "./sql";

export interface StoreOptions {
  dataDir: string;
  memoryLimitBytes: number;
  threads?: number;
}

export interface Store {
  readonly dataDir: string;
  readonly segmentsDir: string;
  readonly stagingDir: string;
  /** Runs `fn` with the writer connection, after every write queued before it. */
  write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  /** A read-only query on its own connection; rows as plain JS values. */
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  /** A statement that touches no table (e.g. COPY from a file to a staging file), on its own connection. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export async function rows<T>(conn: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((r) => plain(r) as T);
}

async function migrate(conn: DuckDBConnection): Promise<void> {
  await conn.run(MIGRATIONS_TABLE);
  const applied = new Set((await rows<{ version: number }>(conn, "SELECT version FROM schema_migrations")).map((r) => r.version));
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await conn.run("BEGIN TRANSACTION");
    try {
      await conn.run(m.sql);
      await conn.run("INSERT INTO schema_migrations VALUES ($1, $2, now())", [m.version, m.description]);
      await conn.run("COMMIT");
    } catch (err) {
      await conn.run("ROLLBACK");
      throw err;
    }
  }
}

/**
 * Parquet files the catalog does not know come from writes interrupted before commit, or were retired (no query
 * runs yet at open): remove them.
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

export async function openStore(options: StoreOptions): Promise<Store> {
  const segmentsDir = path.join(options.dataDir, "segments");
  const stagingDir = path.join(options.dataDir, "staging");
  mkdirSync(segmentsDir, { recursive: true });
  mkdirSync(path.join(options.dataDir, "tmp"), { recursive: true });
  const instance = await DuckDBInstance.create(path.join(options.dataDir, "apiscope.duckdb"), {
    memory_limit: `${Math.floor(options.memoryLimitBytes / 2 ** 20)}MiB`,
    threads: String(options.threads ?? 2),
    // Parallel inserts and less memory; row order carries no meaning here.
    preserve_insertion_order: "false",
    temp_directory: path.join(options.dataDir, "tmp"),
    // The hot table takes many small transactions: checkpoint its WAL less often (it is replayed at open).
    checkpoint_threshold: "256MiB",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const writer = await instance.connect();
  await migrate(writer);
  await writer.run(MACROS_SQL);
  await removeOrphans(writer, segmentsDir, stagingDir);

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const store: Store = {
    dataDir: options.dataDir,
    segmentsDir,
    stagingDir,
    write(fn) {
      if (closed) return Promise.reject(new Error("the audit store is closed"));
      const next = queue.then(() => fn(writer));
      queue = next.catch(() => undefined);
      return next;
    },
    async query(sql, params) {
      const conn = await instance.connect();
      try {
        return await rows(conn, sql, params);
      } finally {
        conn.closeSync();
      }
    },
    async exec(sql) {
      const conn = await instance.connect();
      try {
        await conn.run(sql);
      } finally {
        conn.closeSync();
      }
    },
    async close() {
      closed = true;
      await queue;
      await writer.run("CHECKPOINT").catch(() => undefined);
      writer.closeSync();
      instance.closeSync();
    },
  };
  return store;
}
