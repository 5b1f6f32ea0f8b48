// Drives the audit pipeline the way the server does, without the web server: a real store in a fresh data
// directory, the configured file sources, uploads and queries. One store per data directory per process, so
// every service gets its own temporary directory and store, and must be closed (the service, then its store).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import type { Outcome } from "@/lib/audit/ingest/accounting";
import { ingestFile } from "@/lib/audit/ingest/ingest";
import { auditStatus } from "@/lib/audit/query/run";
import { createAuditService, type AuditService } from "@/lib/audit/service";
import { openStore, type Store } from "@/lib/store/store";
import type { SourceStatus } from "@/lib/audit/types";

export interface AuditHarness {
  svc: AuditService;
  dataDir: string;
  /** Closes the service, runs `whileDown`, and opens it again on the same data directory (a restart). */
  restart(whileDown?: () => void): Promise<AuditService>;
  close(): Promise<void>;
}

/** A temporary directory removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `apiscope-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An audit service over a fresh data directory (or `dataDir`), following `files`. */
export async function openAudit(options: { files?: string[]; retention?: string; dataDir?: string; env?: Record<string, string> } = {}): Promise<AuditHarness> {
  const own = options.dataDir ? null : tempDir("audit-store");
  const dataDir = options.dataDir ?? own!.dir;
  const config = parseConfig({
    APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9",
    APISCOPE_DATA_DIR: dataDir,
    APISCOPE_AUDIT_FILES: (options.files ?? []).join(","),
    // The public fixtures are from 2018–2025.
    APISCOPE_AUDIT_RETENTION: options.retention ?? "3650d",
    ...options.env,
  });
  let store: Store = await openStore(config.audit);
  const stop = async () => {
    await harness.svc.close();
    await store.close();
  };
  const harness: AuditHarness = {
    svc: await createAuditService(config.audit, { background: false, log: () => undefined, store }),
    dataDir,
    async restart(whileDown) {
      await stop();
      whileDown?.();
      store = await openStore(config.audit);
      harness.svc = await createAuditService(config.audit, { background: false, log: () => undefined, store });
      return harness.svc;
    },
    async close() {
      await stop();
      own?.cleanup();
    },
  };
  return harness;
}

/**
 * Ingests a whole file as live data (source `file:<source>`), the way the file follower reads a rotated file: kept
 * by age-based retention, unlike an upload.
 */
export function ingestLive(svc: AuditService, file: string, source = `file:${path.basename(file)}`, nowMs = Date.now()): Promise<Outcome> {
  return ingestFile(file, { store: svc.store, source, sink: "segment", nowMs, retentionSeconds: svc.config.retentionSeconds });
}

const ALL_TIME: [number, number] = [0, Date.UTC(2100, 0, 1)];

/** Completed requests in the store, counted through the relation every query reads. */
export async function storedRequests(svc: AuditService): Promise<{ rows: number; ids: number }> {
  const rel = await svc.relation(...ALL_TIME);
  const [r] = await svc.store.query<{ n: number; ids: number }>(
    `SELECT count(*) AS n, count(DISTINCT audit_id) AS ids FROM ${rel} WHERE stage IN ('ResponseComplete', 'Panic')`,
  );
  return { rows: r!.n, ids: r!.ids };
}

/** Every stored request's auditID (completed and open), sorted. */
export async function storedAuditIds(svc: AuditService): Promise<string[]> {
  const rel = await svc.relation(...ALL_TIME);
  const rows = await svc.store.query<{ audit_id: string }>(`SELECT audit_id FROM ${rel} ORDER BY audit_id`);
  return rows.map((r) => r.audit_id);
}

/** What auditStatus reports for one source (fails the test when the source is unknown). */
export async function sourceStatus(svc: AuditService, source: string): Promise<SourceStatus> {
  const status = await auditStatus(svc);
  const s = status.sources.find((x) => x.source === source);
  if (!s) throw new Error(`no source ${source} in ${JSON.stringify(status.sources.map((x) => x.source))}`);
  return s;
}

/** Runs Debian's jq on files (or on `input`) and parses its JSON output. `args`: more options (-n, --arg). */
export function jq<T>(filter: string, files: string[], options: { slurp?: boolean; input?: string; args?: string[] } = {}): T {
  const args = ["-c", ...(options.slurp ? ["-s"] : []), ...(options.args ?? []), filter, ...files];
  const r = spawnSync("jq", args, { encoding: "utf8", input: options.input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`jq ${filter} failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as T;
}
