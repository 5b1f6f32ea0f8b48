import "server-only";
// Schema migrations, per owner: each feature that keeps tables in the store (e.g. "audit") has its own ordered list
// and applies it when it starts, before it touches its tables. schema_migrations records what was applied, per
// owner and version, so owners never see each other's versions. Never edit a released migration: add a new one.
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { plain } from "./sql";
import type { Store } from "./store";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS_TABLE = "schema_migrations";

/**
 * The owner of the migrations recorded before the table had an owner column: the audit store was then the only
 * one (its versions 1–4).
 */
export const LEGACY_MIGRATIONS_OWNER = "audit";

const CREATE_TABLE = (name: string) =>
  `CREATE TABLE ${name} (owner VARCHAR NOT NULL, version INTEGER NOT NULL, description VARCHAR, applied_at TIMESTAMP, PRIMARY KEY (owner, version))`;

async function read<T>(conn: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<T[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS().map((r) => plain(r) as T);
}

async function inTransaction(conn: DuckDBConnection, fn: () => Promise<void>): Promise<void> {
  await conn.run("BEGIN TRANSACTION");
  try {
    await fn();
    await conn.run("COMMIT");
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

/**
 * Creates the migrations table, or upgrades the one-owner layout of earlier versions
 * (`schema_migrations(version, description, applied_at)`) in place: its rows become the legacy owner's. Runs on the
 * writer before every read of the table (once in place, a cheap look at the catalog).
 */
async function prepareMigrationsTable(conn: DuckDBConnection): Promise<void> {
  const columns = (
    await read<{ column_name: string }>(
      conn,
      `SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1`,
      [MIGRATIONS_TABLE],
    )
  ).map((c) => c.column_name);
  if (columns.length === 0) {
    await conn.run(CREATE_TABLE(`IF NOT EXISTS ${MIGRATIONS_TABLE}`));
    return;
  }
  if (columns.includes("owner")) return;
  // DuckDB cannot change a primary key in place: build the new table beside the old one and swap, atomically.
  const next = `${MIGRATIONS_TABLE}_owned`;
  await inTransaction(conn, async () => {
    await conn.run(CREATE_TABLE(next));
    await conn.run(`INSERT INTO ${next} SELECT $1, version, description, applied_at FROM ${MIGRATIONS_TABLE}`, [LEGACY_MIGRATIONS_OWNER]);
    await conn.run(`DROP TABLE ${MIGRATIONS_TABLE}`);
    await conn.run(`ALTER TABLE ${next} RENAME TO ${MIGRATIONS_TABLE}`);
  });
}

function checkList(owner: string, migrations: readonly Migration[]): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(owner)) throw new Error(`migration owner ${JSON.stringify(owner)}: use lower-case letters, digits, - and _`);
  let last = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new Error(`migrations of ${owner}: version ${m.version} after ${last}; versions are integers from 1, in increasing order`);
    }
    last = m.version;
  }
}

/**
 * Applies the owner's migrations not applied yet, in order, each in its own transaction with its record (a failed
 * one leaves nothing behind and stops the rest). Queued behind the store's other writes. Returns the versions applied.
 */
export async function migrate(store: Store, owner: string, migrations: readonly Migration[]): Promise<number[]> {
  checkList(owner, migrations);
  return store.write(async (conn) => {
    await prepareMigrationsTable(conn);
    const applied = new Set(
      (await read<{ version: number }>(conn, `SELECT version FROM ${MIGRATIONS_TABLE} WHERE owner = $1`, [owner])).map((r) => r.version),
    );
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await inTransaction(conn, async () => {
        await conn.run(m.sql);
        await conn.run(`INSERT INTO ${MIGRATIONS_TABLE} VALUES ($1, $2, $3, now())`, [owner, m.version, m.description]);
      });
      done.push(m.version);
    }
    return done;
  });
}

/** The versions applied for each owner, in order. */
export async function appliedMigrations(store: Store): Promise<Record<string, number[]>> {
  const list = await store.write(async (conn) => {
    await prepareMigrationsTable(conn);
    return read<{ owner: string; version: number }>(conn, `SELECT owner, version FROM ${MIGRATIONS_TABLE} ORDER BY owner, version`);
  });
  const out: Record<string, number[]> = {};
  for (const { owner, version } of list) (out[owner] ??= []).push(version);
  return out;
}
