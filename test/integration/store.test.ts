// The store on its own, with real DuckDB in temporary directories: per-owner migrations (applied once, in order,
// each with its record or not at all), the upgrade of data directories written before migrations had owners, the
// serialised writer, and that opening the store starts nothing of the audit pipeline.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { prepareAuditStore } from "@/lib/audit/audit-store";
import { AUDIT_MIGRATIONS, AUDIT_MIGRATIONS_OWNER } from "@/lib/audit/migrations";
import { appliedMigrations, LEGACY_MIGRATIONS_OWNER, migrate, type Migration } from "@/lib/store/migrations";
import { closeStore, getStore } from "@/lib/store/server";
import { DATABASE_FILE, openStore, type Store } from "@/lib/store/store";
import { tempDir } from "../support/audit-harness";

const MB = 2 ** 20;
const dirs: Array<{ cleanup: () => void }> = [];
const open: Store[] = [];

function freshDir(prefix: string): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d.dir;
}

async function openOn(dataDir: string): Promise<Store> {
  const store = await openStore({ dataDir, memoryLimitBytes: 256 * MB, threads: 1 });
  open.push(store);
  return store;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
afterAll(() => {
  for (const d of dirs) d.cleanup();
});

const tables = async (store: Store) =>
  (await store.query<{ t: string }>("SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() ORDER BY t")).map((r) => r.t);

const ALERTS: Migration[] = [
  { version: 1, description: "rules", sql: "CREATE TABLE alert_rules (id INTEGER PRIMARY KEY, expr VARCHAR NOT NULL);" },
  { version: 2, description: "rule names", sql: "ALTER TABLE alert_rules ADD COLUMN name VARCHAR;" },
];
const INCIDENTS: Migration[] = [
  { version: 1, description: "incidents", sql: "CREATE TABLE incidents (id INTEGER PRIMARY KEY, title VARCHAR); CREATE SEQUENCE incident_ids START 1;" },
];

describe("per-owner migrations", () => {
  it("applies each owner's own list, with the same version numbers, and records them per owner", async () => {
    const store = await openOn(freshDir("store-owners"));
    expect(await migrate(store, "alerts", ALERTS)).toEqual([1, 2]);
    expect(await migrate(store, "incidents", INCIDENTS)).toEqual([1]);
    expect(await tables(store)).toEqual(["alert_rules", "incidents", "schema_migrations"]);
    expect(await appliedMigrations(store)).toEqual({ alerts: [1, 2], incidents: [1] });
    const recorded = await store.query<{ owner: string; version: number; description: string; applied_at: number }>(
      "SELECT owner, version, description, applied_at FROM schema_migrations ORDER BY owner, version",
    );
    expect(recorded.map((r) => [r.owner, r.version, r.description])).toEqual([
      ["alerts", 1, "rules"],
      ["alerts", 2, "rule names"],
      ["incidents", 1, "incidents"],
    ]);
    for (const r of recorded) expect(typeof r.applied_at).toBe("number");
    await store.write((conn) => conn.run("INSERT INTO alert_rules VALUES (1, 'up == 0', 'down')"));
    expect(await store.query("SELECT id, expr, name FROM alert_rules")).toEqual([{ id: 1, expr: "up == 0", name: "down" }]);
  });

  it("is idempotent across re-opens: nothing runs twice, data stays, a new migration alone is applied", async () => {
    const dir = freshDir("store-reopen");
    let store = await openOn(dir);
    await migrate(store, "alerts", ALERTS);
    await store.write((conn) => conn.run("INSERT INTO alert_rules VALUES (7, 'x', 'y')"));
    expect(await migrate(store, "alerts", ALERTS)).toEqual([]); // again on the same handle
    await store.close();

    store = await openOn(dir);
    expect(await migrate(store, "alerts", ALERTS)).toEqual([]);
    expect(await migrate(store, "alerts", [...ALERTS, { version: 3, description: "severity", sql: "ALTER TABLE alert_rules ADD COLUMN severity VARCHAR DEFAULT 'warning';" }])).toEqual([3]);
    expect(await store.query("SELECT * FROM alert_rules")).toEqual([{ id: 7, expr: "x", name: "y", severity: "warning" }]);
    expect(await appliedMigrations(store)).toEqual({ alerts: [1, 2, 3] });
  });

  it("runs each migration in a transaction: a failing one leaves nothing behind and stops the rest", async () => {
    const store = await openOn(freshDir("store-failing"));
    const bad: Migration[] = [
      ALERTS[0]!,
      { version: 2, description: "half-way", sql: "CREATE TABLE half (x INTEGER); ALTER TABLE no_such_table ADD COLUMN y INTEGER;" },
      { version: 3, description: "never", sql: "CREATE TABLE never (x INTEGER);" },
    ];
    await expect(migrate(store, "alerts", bad)).rejects.toThrow(/no_such_table/);
    expect(await tables(store)).toEqual(["alert_rules", "schema_migrations"]);
    expect(await appliedMigrations(store)).toEqual({ alerts: [1] });
    // The writer is usable afterwards; fixed, the list goes on from where it stopped.
    expect(await migrate(store, "alerts", [bad[0]!, { ...bad[1]!, sql: "CREATE TABLE half (x INTEGER);" }, bad[2]!])).toEqual([2, 3]);
  });

  it("refuses lists out of order and odd owner names", async () => {
    const store = await openOn(freshDir("store-bad-list"));
    await expect(migrate(store, "alerts", [ALERTS[1]!, ALERTS[0]!])).rejects.toThrow(/increasing order/);
    await expect(migrate(store, "alerts", [{ ...ALERTS[0]!, version: 0 }])).rejects.toThrow(/increasing order/);
    await expect(migrate(store, "", ALERTS)).rejects.toThrow(/owner/);
    await expect(migrate(store, "x'; DROP TABLE schema_migrations; --", ALERTS)).rejects.toThrow(/owner/);
    expect(await appliedMigrations(store)).toEqual({});
  });
});

describe("a data directory written before migrations had owners", () => {
  it("is upgraded in place: its versions are audit's, audit's migrations do not run again, others' apply", async () => {
    expect(LEGACY_MIGRATIONS_OWNER).toBe(AUDIT_MIGRATIONS_OWNER);
    const dir = freshDir("store-legacy");
    // What the previous code left: the audit tables and schema_migrations(version, description, applied_at).
    const legacy = await DuckDBInstance.create(path.join(dir, DATABASE_FILE));
    const conn = await legacy.connect();
    await conn.run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)");
    for (const m of AUDIT_MIGRATIONS) {
      await conn.run(m.sql);
      await conn.run("INSERT INTO schema_migrations VALUES ($1, $2, TIMESTAMP '2025-01-02 03:04:05')", [m.version, m.description]);
    }
    await conn.run("INSERT INTO uploads VALUES ('upload:kept.log', TIMESTAMP '2025-01-02 03:04:05')");
    conn.closeSync();
    legacy.closeSync();

    const store = await openOn(dir);
    // Re-running migration 1 would fail (its tables exist); nothing runs, and the audit start step succeeds.
    expect(await migrate(store, AUDIT_MIGRATIONS_OWNER, AUDIT_MIGRATIONS)).toEqual([]);
    const columns = await store.query<{ c: string }>(
      "SELECT column_name AS c FROM duckdb_columns() WHERE database_name = current_database() AND table_name = 'schema_migrations' ORDER BY column_index",
    );
    expect(columns.map((r) => r.c)).toEqual(["owner", "version", "description", "applied_at"]);
    const kept = await store.query<{ owner: string; version: number; description: string; applied_at: number }>("SELECT * FROM schema_migrations ORDER BY version");
    expect(kept).toEqual(
      AUDIT_MIGRATIONS.map((m) => ({ owner: "audit", version: m.version, description: m.description, applied_at: Date.UTC(2025, 0, 2, 3, 4, 5) })),
    );
    const audit = await prepareAuditStore(store);
    expect(await audit.query("SELECT source FROM uploads")).toEqual([{ source: "upload:kept.log" }]);
    expect(await migrate(store, "incidents", INCIDENTS)).toEqual([1]);
    expect(await appliedMigrations(store)).toEqual({ audit: AUDIT_MIGRATIONS.map((m) => m.version), incidents: [1] });
    await store.close();

    // Once upgraded, it stays so.
    const again = await openOn(dir);
    expect(await migrate(again, AUDIT_MIGRATIONS_OWNER, AUDIT_MIGRATIONS)).toEqual([]);
    expect(await migrate(again, "incidents", INCIDENTS)).toEqual([]);
    expect((await again.query<{ n: number }>("SELECT count(*) AS n FROM schema_migrations"))[0]!.n).toBe(AUDIT_MIGRATIONS.length + 1);
  });

  it("a new data directory gets audit's migrations as any owner's", async () => {
    const store = await openOn(freshDir("store-new-audit"));
    const audit = await prepareAuditStore(store);
    expect(existsSync(audit.segmentsDir) && existsSync(audit.stagingDir)).toBe(true);
    expect(await appliedMigrations(store)).toEqual({ audit: AUDIT_MIGRATIONS.map((m) => m.version) });
    // The start step again (a restart of the audit service on the same handle) changes nothing.
    await prepareAuditStore(store);
    expect(await appliedMigrations(store)).toEqual({ audit: AUDIT_MIGRATIONS.map((m) => m.version) });
  });
});

describe("the writer", () => {
  it("runs writes one at a time, in the order asked, and a failed write does not stop the next", async () => {
    const store = await openOn(freshDir("store-queue"));
    await migrate(store, "t", [{ version: 1, description: "log", sql: "CREATE TABLE log (i INTEGER, seq INTEGER)" }]);
    const events: string[] = [];
    let seq = 0;
    const write = (i: number, delayMs: number, fail = false) =>
      store.write(async (conn) => {
        events.push(`start ${i}`);
        await new Promise((r) => setTimeout(r, delayMs));
        await conn.run("INSERT INTO log VALUES ($1, $2)", [i, seq++]);
        events.push(`end ${i}`);
        if (fail) throw new Error(`write ${i} failed`);
        return i;
      });
    const results = await Promise.allSettled([write(1, 30), write(2, 0, true), write(3, 10), write(4, 0)]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([1, "write 2 failed", 3, 4]);
    expect(events).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3", "start 4", "end 4"]);
    expect(await store.query("SELECT i, seq FROM log ORDER BY seq")).toEqual([1, 2, 3, 4].map((i) => ({ i, seq: i - 1 })));
  });

  it("finishes the queued writes at close, then refuses more", async () => {
    const dir = freshDir("store-close");
    const store = await openOn(dir);
    await migrate(store, "t", [{ version: 1, description: "t", sql: "CREATE TABLE t (i INTEGER)" }]);
    const pending = store.write(async (conn) => {
      await new Promise((r) => setTimeout(r, 20));
      await conn.run("INSERT INTO t VALUES (1)");
    });
    await store.close();
    await pending;
    await expect(store.write(async () => undefined)).rejects.toThrow(/closed/);
    await store.close(); // twice is harmless
    const reopened = await openOn(dir);
    expect(await reopened.query("SELECT i FROM t")).toEqual([{ i: 1 }]);
  });
});

describe("the store alone", () => {
  it("imports nothing from lib/audit or any other feature folder", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const lib = path.join(root, "lib");
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        if (!spec!.startsWith(".") && !spec!.startsWith("@/")) continue;
        const base = spec!.startsWith("@/") ? path.join(root, spec!.slice(2)) : path.resolve(path.dirname(file), spec!);
        const target = [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), base].find((f) => existsSync(f) && f.endsWith(".ts"));
        if (!target) throw new Error(`${path.relative(root, file)}: cannot resolve ${spec}`);
        visit(target);
      }
    };
    for (const f of ["store.ts", "migrations.ts", "sql.ts", "server.ts"]) visit(path.join(lib, "store", f));
    const outside = [...seen].map((f) => path.relative(lib, f)).filter((f) => !f.startsWith("store/") && f.includes("/"));
    expect(outside).toEqual([]);
  });

  it("the process's store: opened once from the configuration, no audit service, no timers; a held directory is named", async () => {
    const dir = freshDir("store-process");
    // Another process holds the data directory.
    const holder = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { DuckDBInstance } from "@duckdb/node-api";
         const db = await DuckDBInstance.create(${JSON.stringify(path.join(dir, DATABASE_FILE))});
         await db.connect();
         console.log("ready");
         setInterval(() => {}, 1000);`,
      ],
      { cwd: path.resolve(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] },
    );
    const saved = { url: process.env.APISCOPE_PROMETHEUS_URL, dir: process.env.APISCOPE_DATA_DIR, limit: process.env.APISCOPE_DUCKDB_MEMORY_LIMIT };
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (b: Buffer) => b.toString().includes("ready") && resolve());
        holder.on("exit", (code) => reject(new Error(`the holder exited (${code})`)));
      });
      Object.assign(process.env, { APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9", APISCOPE_DATA_DIR: dir, APISCOPE_DUCKDB_MEMORY_LIMIT: "300MB" });
      await expect(getStore()).rejects.toThrow(`the store in ${dir} is in use by another process; give each apiscope process its own APISCOPE_DATA_DIR`);
      await new Promise((resolve) => {
        holder.once("exit", resolve);
        holder.kill();
      });

      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "Immediate").length;
      const before = timers();
      const store = await getStore(); // tried again after the failure
      expect(await getStore()).toBe(store);
      expect(store.dataDir).toBe(dir);
      expect((await store.query<{ v: string }>("SELECT current_setting('memory_limit') AS v"))[0]!.v).toMatch(/^28\d(\.\d+)? MiB$/);
      expect(await migrate(store, "incidents", INCIDENTS)).toEqual([1]);
      expect(timers()).toBe(before);
      expect((globalThis as { __apiscopeAudit?: unknown }).__apiscopeAudit).toBeUndefined();
      expect(existsSync(path.join(dir, "segments"))).toBe(false); // audit's folders come with audit
      await closeStore();
      const next = await getStore();
      expect(next).not.toBe(store);
      expect(await appliedMigrations(next)).toEqual({ incidents: [1] });
    } finally {
      holder.kill();
      await closeStore();
      for (const [key, value] of [["APISCOPE_PROMETHEUS_URL", saved.url], ["APISCOPE_DATA_DIR", saved.dir], ["APISCOPE_DUCKDB_MEMORY_LIMIT", saved.limit]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
