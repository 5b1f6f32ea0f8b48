// Generates the incident scenario: DIR/metrics.om (OpenMetrics for promtool backfill), DIR/audit.log
// (kube-apiserver audit events, JSON lines) and DIR/scenario.json (the summary).
//
//   npx tsx scripts/scenario.ts --out DIR [--nodes N] [--duration MIN] [--incident-start MIN] [--seed S] [--end UNIX_S] [--no-audit]
import { parseArgs } from "node:util";
import { DEFAULT_SCENARIO, type ScenarioParams } from "@/scenario";
import { alignedNow } from "./lib/scenario-prometheus";
import { writeScenarioFiles } from "./lib/scenario-files";

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new Error(`--${name} must be an integer, got ${raw}`);
  return Number(raw);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      nodes: { type: "string" },
      duration: { type: "string" },
      "incident-start": { type: "string" },
      seed: { type: "string" },
      end: { type: "string" },
      "no-audit": { type: "boolean", default: false },
    },
  });
  if (!values.out) throw new Error("--out DIR is required");
  const params: ScenarioParams = {
    ...DEFAULT_SCENARIO,
    nodes: integer("nodes", values.nodes, DEFAULT_SCENARIO.nodes),
    durationMinutes: integer("duration", values.duration, DEFAULT_SCENARIO.durationMinutes),
    incidentStartMinute: integer("incident-start", values["incident-start"], DEFAULT_SCENARIO.incidentStartMinute),
    seed: integer("seed", values.seed, DEFAULT_SCENARIO.seed),
    endUnixSeconds: integer("end", values.end, alignedNow(DEFAULT_SCENARIO.scrapeIntervalSeconds)),
  };
  const started = process.hrtime.bigint();
  const files = writeScenarioFiles(values.out, params, { audit: !values["no-audit"] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const { summary } = files;
  const s = summary.story;
  console.log(
    `scenario: ${params.nodes} nodes, ${params.durationMinutes} min ending ${new Date(params.endUnixSeconds * 1000).toISOString()}; ` +
      `${summary.metrics.series} series (${mb(files.metricsBytes)} MB), ` +
      (files.auditPath ? `${summary.audit.totalEvents} audit events (${mb(files.auditBytes)} MB), ` : "audit skipped, ") +
      `p99 ${s.baselineRequestP99Seconds}s -> ${s.incidentRequestP99Seconds}s, 429 share ${(s.incidentRejected429Share * 100).toFixed(1)}%, ` +
      `in ${seconds.toFixed(1)}s -> ${values.out}`,
  );
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
