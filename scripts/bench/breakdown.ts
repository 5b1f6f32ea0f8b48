// Benchmark: breakdown by client × verb × resource over 10,000,000 stored requests, and peak memory.
// The store is built from the 1M-event scenario log (see ingest.ts), replicated into ten time-shifted segments with
// distinct auditIDs — real event shapes at ten times the volume.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import { EVENT_COLUMN_NAMES } from "@/lib/audit/columns";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "@/lib/audit/ingest/chunk-filter";
import { catalogSegment, newSegment } from "@/lib/audit/segments";
import { createAuditService } from "@/lib/audit/service";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { runBreakdown } from "@/lib/audit/query/run";
import { openStore, rows } from "@/lib/store/store";

const LOG = path.resolve(".bench/ingest/scenario/audit.log");
const DATA = path.resolve(".bench/breakdown");
const COPIES = 10;
if (!existsSync(LOG)) throw new Error("run scripts/bench/ingest.ts first (it generates the 1M-event log)");

const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024;

rmSync(DATA, { recursive: true, force: true });
const config = parseConfig({ APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9", APISCOPE_DATA_DIR: DATA, APISCOPE_AUDIT_FILES: LOG, APISCOPE_AUDIT_RETENTION: "3650d" });
const store = await openStore(config.audit);
const svc = await createAuditService(config.audit, { background: false, store });
await svc.pollFiles();
const cols = EVENT_COLUMN_NAMES.join(", ");
const span = await svc.store.write(async (conn) => {
  const [seg] = await rows<{ file: string; min_ts: number; max_ts: number }>(conn, "SELECT file, min_ts, max_ts FROM segments ORDER BY id LIMIT 1");
  const source = path.join(svc.store.segmentsDir, seg!.file);
  const shiftMs = seg!.max_ts - seg!.min_ts + 60_000;
  for (let i = 1; i < COPIES; i++) {
    const copy = await newSegment(conn, svc.store);
    const shift = `INTERVAL ${i * shiftMs} MILLISECOND`;
    await conn.run(
      `COPY (SELECT * REPLACE (audit_id || '-${i}' AS audit_id, ts - ${shift} AS ts, received_at - ${shift} AS received_at)
             FROM (SELECT ${cols}, ${SEGMENT_REASON_COLUMN} FROM read_parquet('${source}', union_by_name = true) WHERE ${STORED_FILTER}))
       TO '${copy.full}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    await catalogSegment(conn, copy, STORED_FILTER);
  }
  return { fromMs: seg!.min_ts - (COPIES - 1) * shiftMs - 1000, toMs: seg!.max_ts + 1000 };
});
const rollupStart = performance.now();
await svc.maintain(); // builds the rollups of the new segments
const rollupMs = performance.now() - rollupStart;

const request = parseAuditRequest(new URLSearchParams(`from=${span.fromMs}&to=${span.toMs}&group=client,verb,resource&top=20`), Date.now());
if (typeof request === "string") throw new Error(request);
const times: number[] = [];
let total = 0;
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  total = (await runBreakdown(svc, request)).total;
  times.push(performance.now() - t);
}
const warm = times.slice(1).sort((a, b) => a - b);
console.log(`
breakdown by client × verb × resource (top 20 + other; requests, 5xx, 429, p50/p99, distinct sources)
  stored requests queried:        ${total.toLocaleString("en-US")} in ${COPIES} segments (rollups built in ${Math.round(rollupMs)} ms)
  first query:                    ${Math.round(times[0]!)} ms
  warm, median / max of 5:        ${Math.round(warm[2]!)} ms / ${Math.round(warm[4]!)} ms   (target ≤ 300 ms)
  peak memory of the process:     ${Math.round(peakRssMb())} MB (DuckDB memory limit ${Math.round(config.audit.memoryLimitBytes / 2 ** 20)} MB)
`);
await svc.close();
await store.close();
