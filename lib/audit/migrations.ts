// The audit tables' schema migrations (owner "audit" in the store's schema_migrations), applied in order when the
// audit service starts. Never edit a released migration: add a new one.
import type { Migration } from "../store/migrations";
import { EVENT_TABLE_DDL } from "./columns";

/** The owner of these migrations. Versions 1–4 were recorded before owners existed (the store upgrades them). */
export const AUDIT_MIGRATIONS_OWNER = "audit";

export const AUDIT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "events (hot table, open requests, Parquet segment catalog), file offsets, ingest accounting",
    sql: `
      CREATE TABLE events_hot (${EVENT_TABLE_DDL});
      CREATE TABLE open_requests (${EVENT_TABLE_DDL});
      CREATE SEQUENCE segment_ids START 1;
      CREATE TABLE segments (
        id BIGINT PRIMARY KEY, file VARCHAR NOT NULL, rows BIGINT NOT NULL, bytes BIGINT NOT NULL,
        min_ts TIMESTAMP, max_ts TIMESTAMP, min_received TIMESTAMP, max_received TIMESTAMP, created_at TIMESTAMP NOT NULL
      );
      CREATE TABLE file_offsets (
        dev UBIGINT, ino UBIGINT, path VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL,
        byte_offset BIGINT NOT NULL, line_count BIGINT NOT NULL, complete BOOLEAN NOT NULL, updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (dev, ino)
      );
      CREATE TABLE ingest_counts (source VARCHAR, outcome VARCHAR, count BIGINT NOT NULL, PRIMARY KEY (source, outcome));
      CREATE TABLE skip_samples (source VARCHAR, reason VARCHAR, detail VARCHAR, line BIGINT, recorded_at TIMESTAMP);
    `,
  },
  {
    version: 2,
    description: "rollups: a pre-aggregated companion file per segment",
    sql: "ALTER TABLE segments ADD COLUMN rollup_file VARCHAR;",
  },
  {
    version: 3,
    description: "retired files: replaced or dropped segment files, deleted once no query can still be reading them",
    sql: "CREATE TABLE retired_files (file VARCHAR PRIMARY KEY, retired_at TIMESTAMP NOT NULL);",
  },
  {
    version: 4,
    description: "uploads: kept until deleted, so their segments and open requests say which upload they belong to",
    sql: `
      ALTER TABLE segments ADD COLUMN upload VARCHAR;
      ALTER TABLE open_requests ADD COLUMN upload VARCHAR;
      CREATE TABLE uploads (source VARCHAR PRIMARY KEY, uploaded_at TIMESTAMP NOT NULL);
    `,
  },
];
