import "server-only";
// The audit pipeline of one apiscope process: the store, the configured file sources, the webhook queue, the
// per-client metrics and the maintenance timers. One instance per process, opened on first use.
import { Readable } from "node:stream";
import type { AuditConfig } from "../config";
import { ClientMetrics, latencyAggregateSql, requestAggregateSql, type LatencyAggregate, type RequestAggregate } from "./client-metrics";
import { mergeOutcomes, emptyOutcome, type Outcome } from "./ingest/accounting";
import { ingestFile, ingestStream, type IngestContext } from "./ingest/ingest";
import { enforceRetention, flushHot } from "./maintenance";
import { DERIVED } from "./query/derived";
import { eventsRelation, type SegmentInfo } from "./query/events-relation";
import { FileFollower } from "./sources/file-follower";
import { bodiesAsLines, WebhookQueue } from "./sources/webhook-queue";
import { openStore, rows, type Store } from "./store/store";

const POLL_MS = 1000;
const MAINTENANCE_MS = 30_000;

export interface AuditService {
  readonly config: AuditConfig;
  readonly store: Store;
  readonly metrics: ClientMetrics;
  readonly webhook: WebhookQueue;
  /** Ingests an uploaded file (already on disk) as source `upload:<name>`. */
  ingestUpload(file: string, name: string): Promise<Outcome>;
  /** Reads the configured files once (also runs every second in the background). */
  pollFiles(): Promise<Outcome>;
  /** The SQL relation of the requests in a time window. */
  relation(fromMs: number, toMs: number): Promise<string>;
  maintain(): Promise<void>;
  close(): Promise<void>;
}

export async function createAuditService(config: AuditConfig, options: { background: boolean; log?: (m: string) => void }): Promise<AuditService> {
  const store = await openStore({ dataDir: config.dataDir, memoryLimitBytes: config.memoryLimitBytes });
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
  const webhook = new WebhookQueue(
    (bodies) => ingestStream(Readable.from([bodiesAsLines(bodies)]), context("webhook", "hot")),
    { maxPendingBytes: 256 * 2 ** 20, maxCommitBytes: 32 * 2 ** 20 },
  );

  const maintain = async () => {
    await flushHot(store);
    await enforceRetention(store, Date.now(), config.retentionSeconds, config.maxBytes);
  };
  let timer: NodeJS.Timeout | null = null;
  if (options.background) {
    if (config.files.length > 0) follower.start(POLL_MS);
    timer = setInterval(() => void maintain().catch((err: Error) => log(`apiscope: audit store maintenance failed: ${err.message}`)), MAINTENANCE_MS);
    timer.unref();
  }

  return {
    config,
    store,
    metrics,
    webhook,
    ingestUpload: (file, name) => ingestFile(file, context(`upload:${name}`, "segment")),
    pollFiles: async () => (await follower.pollOnce()).reduce(mergeOutcomes, emptyOutcome()),
    async relation(fromMs, toMs) {
      const segments = await store.query<SegmentInfo>("SELECT file, min_ts, max_ts FROM segments");
      return eventsRelation(store.segmentsDir, segments, fromMs, toMs);
    },
    maintain,
    async close() {
      if (timer) clearInterval(timer);
      await follower.stop();
      await flushHot(store, true).catch(() => undefined);
      await store.close();
    },
  };
}
