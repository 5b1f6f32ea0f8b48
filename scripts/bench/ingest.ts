// Benchmark: ingesting 1,000,000 realistic audit events (~1 KB each) from a file, end to end (file → stored →
// breakdown by client answered), against `jq -r .userAgent FILE | sort | uniq -c | sort -rn` on the same file.
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DEFAULT_SCENARIO } from "@/scenario";
import { parseConfig } from "@/lib/config";
import { createAuditService } from "@/lib/audit/service";
import { openStore } from "@/lib/store/store";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { runBreakdown } from "@/lib/audit/query/run";
import { alignedNow } from "../lib/scenario-prometheus";
import { writeScenarioFiles } from "../lib/scenario-files";

const DIR = path.resolve(".bench/ingest");
const LOG = path.join(DIR, "scenario", "audit.log");

if (!existsSync(LOG)) {
  console.log("Generating a ~1,000,000-event audit log (700-node incident scenario)…");
  mkdirSync(DIR, { recursive: true });
  writeScenarioFiles(path.join(DIR, "scenario"), { ...DEFAULT_SCENARIO, nodes: 700, endUnixSeconds: alignedNow(30) }, { audit: true });
}
const events = Number(execSync(`wc -l < ${JSON.stringify(LOG)}`).toString().trim());
const bytes = statSync(LOG).size;
execSync(`cat ${JSON.stringify(LOG)} > /dev/null`); // both contenders read from the page cache

const t0 = performance.now();
execSync(`jq -r .userAgent ${JSON.stringify(LOG)} | sort | uniq -c | sort -rn > /dev/null`, { shell: "/bin/bash" });
const jqMs = performance.now() - t0;

const runs: number[] = [];
let ingestMs = 0;
let stored = 0;
for (let i = 0; i < 3; i++) {
  const dataDir = path.join(DIR, "store");
  rmSync(dataDir, { recursive: true, force: true });
  const config = parseConfig({ APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9", APISCOPE_DATA_DIR: dataDir, APISCOPE_AUDIT_FILES: LOG, APISCOPE_AUDIT_RETENTION: "3650d" });
  const store = await openStore(config.audit);
  const svc = await createAuditService(config.audit, { background: false, store });
  const start = performance.now();
  const outcome = await svc.pollFiles();
  const ingested = performance.now();
  const request = parseAuditRequest(new URLSearchParams("from=now-30d&to=now&group=client&top=10"), Date.now());
  if (typeof request === "string") throw new Error(request);
  const answer = await runBreakdown(svc, request);
  runs.push(performance.now() - start);
  ingestMs = ingested - start;
  stored = answer.total;
  if (outcome.accepted === 0) throw new Error("nothing was ingested");
  await svc.close();
  await store.close();
}
const best = Math.min(...runs);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`
audit file ingest (${fmt(events)} events, ${(bytes / 1e6).toFixed(0)} MB, ${fmt(bytes / events)} bytes/event; ${fmt(stored)} requests stored)
  jq -r .userAgent | sort | uniq -c:        ${fmt(jqMs)} ms  (${fmt(events / (jqMs / 1000))} events/s)
  apiscope file → stored → breakdown:       ${fmt(best)} ms best of 3 (${runs.map(fmt).join(", ")}), ingest alone ${fmt(ingestMs)} ms  (${fmt(events / (best / 1000))} events/s)
  speed-up end to end:                      ${(jqMs / best).toFixed(1)}×   (target ≥ 8×)
`);
