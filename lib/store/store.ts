import "server-only";
// The store handle: one embedded DuckDB database in the data directory, shared by every feature that keeps data
// (each owns its tables through its own migrations, see migrations.ts). One writer at a time (a queue); readers
// get their own connections. Opening it starts nothing in the background.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { plain } from "./sql";

export interface StoreOptions {
  dataDir: string;
  memoryLimitBytes: number;
  threads?: number;
}

export interface Store {
  readonly dataDir: string;
  /** Runs `fn` with the writer connection, after every write queued before it. */
  write<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  /** A read-only query on its own connection; rows as plain JS values. */
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>;
  /** A statement that touches no table (e.g. COPY from a file to a staging file), on its own connection. */
  exec(sql: string): Promise<void>;
  /** Waits for the queued writes, checkpoints and closes the database. Writes asked for afterwards fail. */
  close(): Promise<void>;
}

/** The database file in a data directory. */
export const DATABASE_FILE = "apiscope.duckdb";

export async function rows<T>(conn: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((r) => plain(r) as T);
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const tmp = path.join(options.dataDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  const instance = await DuckDBInstance.create(path.join(options.dataDir, DATABASE_FILE), {
    memory_limit: `${Math.floor(options.memoryLimitBytes / 2 ** 20)}MiB`,
    threads: String(options.threads ?? 2),
    // Parallel inserts and less memory; row order carries no meaning here.
    preserve_insertion_order: "false",
    // Beyond the memory limit, DuckDB spills here.
    temp_directory: tmp,
    // Many small transactions (e.g. audit's hot table): checkpoint the WAL less often (it is replayed at open).
    checkpoint_threshold: "256MiB",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  let writer: DuckDBConnection;
  try {
    writer = await instance.connect();
  } catch (err) {
    instance.closeSync();
    throw err;
  }

  let queue: Promise<unknown> = Promise.resolve();
  let closed: Promise<void> | null = null;
  return {
    dataDir: options.dataDir,
    write(fn) {
      if (closed) return Promise.reject(new Error(`the store in ${options.dataDir} is closed`));
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
    close() {
      closed ??= (async () => {
        await queue;
        await writer.run("CHECKPOINT").catch(() => undefined);
        writer.closeSync();
        instance.closeSync();
      })();
      return closed;
    },
  };
}
