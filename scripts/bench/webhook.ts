// Benchmark: the audit webhook under sustained load — EventList batches of 400 realistic events (kube-apiserver's
// default batch size) sent for 60 s at ≥ 50,000 events/s to the production server; batches answered 429 are resent
// after Retry-After, as the API server's webhook backend does. Afterwards every event is counted back from the store.
import { createReadStream, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { startApp } from "../lib/app";
import { freePort } from "../lib/ports";

const LOG = path.resolve(".bench/ingest/scenario/audit.log");
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 60);
const TARGET_PER_SECOND = Number(process.env.BENCH_WEBHOOK_RATE ?? 55_000);
const BATCH = 400;
/** Concurrent batches in flight, as from several API servers (each sends its batches concurrently). */
const SENDERS = Number(process.env.BENCH_WEBHOOK_SENDERS ?? 64);
const TOKEN = "bench-token";

// Templates: real event lines whose auditID and timestamps are set per event, so that every event is new and, as
// from a live API server, happened just now.
const FIELDS = ["auditID", "requestReceivedTimestamp", "stageTimestamp"];
const templates: string[][] = [];
for await (const line of createInterface({ input: createReadStream(LOG) })) {
  if (!line.includes('"stage":"ResponseComplete"')) continue;
  const parts: string[] = [];
  let rest = line;
  for (const f of FIELDS) {
    const i = rest.indexOf(`"${f}":"`);
    if (i === -1) break;
    parts.push(rest.slice(0, i + f.length + 4));
    rest = rest.slice(rest.indexOf('"', i + f.length + 4));
  }
  if (parts.length === FIELDS.length) templates.push([...parts, rest]);
  if (templates.length >= 20_000) break;
}

const dataDir = path.resolve(".bench/webhook-store");
rmSync(dataDir, { recursive: true, force: true });
const app = await startApp({
  port: await freePort(),
  env: { APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9", APISCOPE_DATA_DIR: dataDir, APISCOPE_AUDIT_WEBHOOK_TOKEN: TOKEN, APISCOPE_AUDIT_RETENTION: "3650d" },
  quiet: true,
});
const serverPid = () => {
  const children = readFileSync(`/proc/${app.process.pid}/task/${app.process.pid}/children`, "utf8").trim().split(/\s+/);
  return Number(children[0] ?? app.process.pid);
};
/** CPU time (user + system) a process has used, in seconds. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const peakMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${serverPid()}/status`, "utf8"))?.[1] ?? 0) / 1024;

let next = 0;
const batchBody = () => {
  const items: string[] = [];
  const now = Date.now();
  const received = new Date(now - 20).toISOString();
  const completed = new Date(now).toISOString();
  for (let i = 0; i < BATCH; i++) {
    const [a, b, c, d] = templates[next % templates.length]!;
    items.push(`${a}bench-${next++}${b}${received}${c}${completed}${d}`);
  }
  return `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[${items.join(",")}]}`;
};

let sent = 0;
let throttled = 0;
const latencies: number[] = [];
const started = Date.now();
const deadline = started + SECONDS * 1000;
async function sender(): Promise<void> {
  while (Date.now() < deadline) {
    // Pace to the target rate across all senders.
    const due = started + (sent / TARGET_PER_SECOND) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const body = batchBody();
    sent += BATCH;
    for (;;) {
      const t = performance.now();
      const res = await fetch(`${app.url}/api/audit/webhook`, { method: "POST", body, headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" } });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      if (res.status === 200) break;
      if (res.status !== 429) throw new Error(`webhook answered ${res.status}`);
      throttled++;
      await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? "1") * 1000));
    }
  }
}
await Promise.all(Array.from({ length: SENDERS }, sender));
const elapsed = (Date.now() - started) / 1000;
const status = (await (await fetch(`${app.url}/api/audit/status`)).json()) as { data: { sources: Array<{ source: string; accepted: number }> } };
const stored = status.data.sources.find((s) => s.source === "webhook")?.accepted ?? 0;
const peak = peakMb();
const cpu = cpuSeconds(serverPid());
const benchCpu = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
await app.stop();
latencies.sort((a, b) => a - b);
const q = (p: number) => Math.round(latencies[Math.floor(p * (latencies.length - 1))]!);
console.log(`
audit webhook, ${SENDERS} senders × batches of ${BATCH} events for ${SECONDS} s (target ${TARGET_PER_SECOND.toLocaleString("en-US")} events/s)
  events sent / stored:        ${sent.toLocaleString("en-US")} / ${stored.toLocaleString("en-US")}   lost: ${(sent - stored).toLocaleString("en-US")}
  sustained rate:              ${Math.round(stored / elapsed).toLocaleString("en-US")} events/s over ${elapsed.toFixed(1)} s   (target ≥ 50,000, zero lost)
  answers 429 (then resent):   ${throttled}
  request latency p50 / p99:   ${q(0.5)} ms / ${q(0.99)} ms
  peak server memory:          ${Math.round(peak)} MB
  CPU used, server / sender:   ${cpu.toFixed(0)} s / ${benchCpu.toFixed(0)} s of ${(availableParallelism() * elapsed).toFixed(0)} core-seconds
`);
