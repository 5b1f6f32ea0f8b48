import "server-only";
// The audit pipeline of one apiscope process: its tables in the store, the configured file sources, the webhook
// queue, the per-client metrics and the maintenance timers. One instance per process, opened on first use.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { AuditConfig } from "../config";
import { rows, type Store } from "../store/store";
import { prepareAuditStore, type AuditStore } from "./audit-store";
import { ClientMetrics, latencyAggregateSql, requestAggregateSql, type LatencyAggregate, type RequestAggregate } from "./client-metrics";
import { mergeOutcomes, emptyOutcome, type Outcome } from "./ingest/accounting";
import { commitStaged, ingestFile, isEventList, stageEventLists, stageStream, type IngestContext, type StagedChunk } from "./ingest/ingest";
import { enforceRetention, flushHot } from "./maintenance";
import { DERIVED } from "./query/derived";
import { aggregateRelation, type CatalogEntry } from "./query/aggregate";
import { eventsRelation, type SegmentInfo } from "./query/events-relation";
import { buildMissingRollups } from "./rollup/build";
import { ROLLUP_SECONDS, rollupSelect, type RollupColumns, type RollupLevel } from "./rollup/rollup-sql";
import { FileFollower } from "./sources/file-follower";
import { bodiesAsLines, WebhookQueue } from "./sources/webhook-queue";
import { UPLOAD_PREFIX, type DeletedUpload } from "./types";
import { deleteUpload, recordUpload } from "./uploads";

const POLL_MS = 1000;
const MAINTENANCE_MS = 30_000;
/** New segments get their rollup within seconds; until then queries aggregate their requests directly. */
const ROLLUP_CHECK_MS = 5000;

export interface AuditService {
  readonly config: AuditConfig;
  readonly store: AuditStore;
  readonly metrics: ClientMetrics;
  readonly webhook: WebhookQueue<StagedChunk>;
  /**
   * Ingests an uploaded file (already on disk) as source `upload:<name>`: whatever its age (retention applies to
   * live sources), into segments of its own, kept until deleted. The same name again adds to that upload.
   */
  ingestUpload(file: string, name: string): Promise<Outcome>;
  /** Deletes an upload (source `upload:<name>`): its requests, rollups and accounting. Null when there is none. */
  deleteUpload(source: string): Promise<DeletedUpload | null>;
  /** Reads the configured files once (also runs every second in the background). */
  pollFiles(): Promise<Outcome>;
  /** The SQL relation of the requests in a time window. */
  relation(fromMs: number, toMs: number): Promise<string>;
  /**
   * The requests of a window as rollup rows (see query/aggregate.ts). Buckets finer than the rollups' (for short
   * windows) are aggregated from the requests directly, with only the columns in `only` when given.
   */
  aggregate(fromMs: number, toMs: number, options?: { bucketSeconds?: number; level?: RollupLevel; only?: RollupColumns }): Promise<string>;
  /** Flushes the hot table, enforces retention and builds missing rollups (also runs in the background). */
  maintain(): Promise<void>;
  /** Stops the background work and flushes the hot table. The store stays open: whoever opened it closes it. */
  close(): Promise<void>;
}

export interface AuditServiceOptions {
  /** Follow the configured files and run maintenance and rollups on timers (the server); off in tests and benchmarks. */
  background: boolean;
  log?: (m: string) => void;
  /**
   * The store to keep the audit tables in, opened on `config.dataDir` by the caller, who closes it after the service:
   * the process's (lib/store/server.ts) in the server; tests and benchmarks open their own (openStore).
   */
  store: Store;
}

export async function createAuditService(config: AuditConfig, options: AuditServiceOptions): Promise<AuditService> {
  const store = await prepareAuditStore(options.store);
  const metrics = new ClientMetrics(config.metricsMaxClients);
  const log = options.log ?? ((m: string) => console.error(m));

  const context = (source: string, sink: IngestContext["sink"]): IngestContext => ({
    store,
    source,
    sink,
    nowMs: Date.now(),
    retentionSeconds: config.retentionSeconds,
    onAccepted: async (conn, relation) => {
      const requests = await rows<RequestAggregate>(conn, requestAggregateSql(relation, DERIVED.resource_name, DERIVED.code_class, DERIVED.rv0));
      const latency = await rows<LatencyAggregate>(conn, latencyAggregateSql(relation, DERIVED.request_latency_s));
      return () => metrics.add(requests, latency);
    },
  });

  const follower = new FileFollower({ store, paths: config.files, context, log });
  // Under a heavy webhook load the hot table is flushed as soon as it is full, not only by the maintenance timer:
  // every commit checks its duplicates against all hot rows.
  let flushing: Promise<unknown> | null = null;
  const flushWhenFull = () => {
    flushing ??= flushHot(store)
      .catch((err: Error) => log(`apiscope: flushing the hot table failed: ${err.message}`))
      .finally(() => (flushing = null));
  };
  let batchSeq = 0;
  const webhook = new WebhookQueue<StagedChunk>(
    {
      async prepare(bodies) {
        const lines = bodiesAsLines(bodies);
        const ctx = context("webhook", "hot");
        // Compact EventLists (what kube-apiserver sends) take DuckDB's fast path; anything else the robust one.
        if (bodies.every(isEventList)) {
          const file = path.join(store.stagingDir, `webhook-${process.pid}-${batchSeq++}.jsonl`);
          writeFileSync(file, lines);
          try {
            const fast = await stageEventLists(file, ctx);
            if (fast) return fast;
          } finally {
            rmSync(file, { force: true });
          }
        }
        return stageStream(Readable.from([lines]), ctx);
      },
      async commit(staged) {
        const outcome = await commitStaged(store, staged);
        if (options.background) flushWhenFull();
        return outcome;
      },
    },
    { maxPendingBytes: 256 * 2 ** 20, maxCommitBytes: 32 * 2 ** 20 },
  );

  // One rollup build at a time; asking while one runs makes it look again when done.
  let rollups: Promise<void> | null = null;
  let again = false;
  const buildRollups = (): Promise<void> => {
    if (rollups) {
      again = true;
      return rollups;
    }
    rollups = (async () => {
      do {
        again = false;
        await buildMissingRollups(store);
      } while (again);
    })()
      .catch((err: Error) => log(`apiscope: building rollups failed: ${err.message}`))
      .finally(() => (rollups = null));
    return rollups;
  };

  const maintain = async () => {
    await flushHot(store);
    const retention = await enforceRetention(store, Date.now(), config.retentionSeconds, config.maxBytes, config.uploadRetentionSeconds);
    for (const source of retention.deletedUploads) log(`apiscope: deleted the upload ${source} (APISCOPE_AUDIT_UPLOAD_RETENTION or APISCOPE_AUDIT_MAX_BYTES)`);
    await buildRollups();
  };
  const timers: NodeJS.Timeout[] = [];
  if (options.background) {
    if (config.files.length > 0) follower.start(POLL_MS);
    timers.push(setInterval(() => void maintain().catch((err: Error) => log(`apiscope: audit store maintenance failed: ${err.message}`)), MAINTENANCE_MS));
    timers.push(setInterval(() => void buildRollups(), ROLLUP_CHECK_MS));
    for (const t of timers) t.unref();
  }

  return {
    config,
    store,
    metrics,
    webhook,
    ingestUpload: (file, name) => {
      const source = `${UPLOAD_PREFIX}${name}`;
      // Always a segment of its own: never in the hot table, whose rows are flushed together with live data.
      // Not in the per-client metrics: an uploaded log is a past incident, not live traffic an alert should see.
      return ingestFile(file, { ...context(source, "segment"), upload: true, onAccepted: undefined, onCommit: (conn) => recordUpload(conn, source) });
    },
    deleteUpload: (source) => store.write((conn) => deleteUpload(conn, source)),
    pollFiles: async () => (await follower.pollOnce()).reduce(mergeOutcomes, emptyOutcome()),
    async relation(fromMs, toMs) {
      const segments = await store.query<SegmentInfo>("SELECT file, min_ts, max_ts FROM segments");
      return eventsRelation(store.segmentsDir, segments, fromMs, toMs);
    },
    async aggregate(fromMs, toMs, { bucketSeconds = ROLLUP_SECONDS, level = "fine", only } = {}) {
      if (bucketSeconds % ROLLUP_SECONDS !== 0) {
        const segments = await store.query<SegmentInfo>("SELECT file, min_ts, max_ts FROM segments");
        return `(${rollupSelect(eventsRelation(store.segmentsDir, segments, fromMs, toMs), level, bucketSeconds, only)})`;
      }
      const catalog = await store.query<CatalogEntry>("SELECT file, rollup_file, min_ts, max_ts FROM segments");
      return aggregateRelation(store.segmentsDir, catalog, fromMs, toMs, level);
    },
    maintain,
    async close() {
      for (const t of timers) clearInterval(t);
      await follower.stop();
      await rollups;
      await flushHot(store, true).catch(() => undefined);
    },
  };
}
