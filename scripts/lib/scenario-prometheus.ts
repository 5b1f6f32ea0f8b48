// The incident scenario loaded into a real Prometheus: generate, backfill, start. Used by the demo, the
// end-to-end tests and the benchmarks.
import { rmSync } from "node:fs";
import path from "node:path";
import { DEFAULT_SCENARIO, type ScenarioParams } from "@/scenario";
import { backfill, startPrometheus, type RunningPrometheus } from "./prometheus";
import { writeScenarioFiles, type ScenarioFiles } from "./scenario-files";

export interface ScenarioPrometheus {
  files: ScenarioFiles;
  prometheus: RunningPrometheus;
  tsdbDir: string;
}

/** The newest end time the scenario can have now: aligned to its scrape interval, never in the future. */
export function alignedNow(scrapeIntervalSeconds: number, nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / scrapeIntervalSeconds) * scrapeIntervalSeconds;
}

export async function startScenarioPrometheus(options: {
  dir: string;
  params?: Partial<ScenarioParams>;
  audit?: boolean;
  port?: number;
}): Promise<ScenarioPrometheus> {
  rmSync(options.dir, { recursive: true, force: true });
  const scrape = options.params?.scrapeIntervalSeconds ?? DEFAULT_SCENARIO.scrapeIntervalSeconds;
  const params: ScenarioParams = { ...DEFAULT_SCENARIO, endUnixSeconds: alignedNow(scrape), ...options.params };
  const files = writeScenarioFiles(path.join(options.dir, "scenario"), params, { audit: options.audit ?? false });
  const tsdbDir = path.join(options.dir, "tsdb");
  backfill(files.metricsPath, tsdbDir);
  const prometheus = await startPrometheus({ dir: path.join(options.dir, "prometheus"), tsdbDir, port: options.port });
  return { files, prometheus, tsdbDir };
}

/**
 * Environment for an apiscope server reading the scenario's Prometheus and, when given, following its audit log
 * with a store of its own in `dataDir`.
 */
export function scenarioAppEnv(prometheusUrl: string, audit?: { file: string; dataDir: string }): Record<string, string> {
  return {
    APISCOPE_PROMETHEUS_URL: prometheusUrl,
    APISCOPE_APISERVER_SELECTOR: 'job="apiserver"',
    APISCOPE_SCRAPE_INTERVAL: `${DEFAULT_SCENARIO.scrapeIntervalSeconds}s`,
    ...(audit ? { APISCOPE_AUDIT_FILES: audit.file, APISCOPE_DATA_DIR: audit.dataDir } : {}),
  };
}
