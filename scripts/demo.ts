// The demo: the incident scenario in a real Prometheus, and apiscope reading it, both on loopback.
import path from "node:path";
import { parseArgs } from "node:util";
import { formatUtc } from "@/lib/format";
import { startApp } from "./lib/app";
import { freePort, isPortFree } from "./lib/ports";
import { scenarioAppEnv, startScenarioPrometheus } from "./lib/scenario-prometheus";

const { values } = parseArgs({
  options: {
    nodes: { type: "string" },
    duration: { type: "string" },
    "incident-start": { type: "string" },
    seed: { type: "string" },
    port: { type: "string" },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const params = Object.fromEntries(
  Object.entries({
    nodes: num(values.nodes),
    durationMinutes: num(values.duration),
    incidentStartMinute: num(values["incident-start"]),
    seed: num(values.seed),
  }).filter(([, v]) => v !== undefined),
);

const portFor = async (preferred: number) => ((await isPortFree(preferred)) ? preferred : freePort());

const started = Date.now();
console.log("Generating the incident scenario and loading it into Prometheus…");
const dir = path.resolve(".data/demo");
const { files, prometheus } = await startScenarioPrometheus({ dir, params, audit: true });
const env = scenarioAppEnv(prometheus.url, { file: files.auditPath!, dataDir: path.join(dir, "store") });
const app = await startApp({ port: num(values.port) ?? (await portFor(3000)), env, quiet: true });
const s = files.summary;
const window = `from=${s.window.startUnixSeconds * 1000}&to=${s.window.endUnixSeconds * 1000}`;
console.log(`
apiscope is running: ${app.url}
  incident window:   ${app.url}/?${window}
  Prometheus:        ${prometheus.url} (scenario backfilled; ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  audit log:         ${files.auditPath} (${s.audit.totalEvents.toLocaleString("en-US")} events, followed by apiscope)
  scenario:          ${s.params.nodes} nodes, ${s.apiserverInstances.length} API servers; ${s.culprit.daemonSet} rollout from ${formatUtc(s.incident.startUnixSeconds * 1000)} UTC
Press Ctrl-C to stop both.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping apiscope and Prometheus…");
  await Promise.all([app.stop(), prometheus.stop()]);
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
