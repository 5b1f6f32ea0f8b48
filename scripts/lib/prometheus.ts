// Starts the real Prometheus (Debian package) on a free loopback port, for the demo, tests and benchmarks.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { supervise } from "./child";
import { freePort, waitFor } from "./ports";

export const PROMETHEUS_BIN = process.env.APISCOPE_PROMETHEUS_BIN ?? "/usr/bin/prometheus";
export const PROMTOOL_BIN = process.env.APISCOPE_PROMTOOL_BIN ?? "/usr/bin/promtool";

export interface ScrapeJob {
  job: string;
  targets: string[];
  metricsPath?: string;
  intervalSeconds?: number;
}

export interface PrometheusOptions {
  /** Working directory: holds the config, the TSDB (unless tsdbDir is given) and the query log. */
  dir: string;
  tsdbDir?: string;
  scrapeJobs?: ScrapeJob[];
  port?: number;
  extraArgs?: string[];
}

export interface RunningPrometheus {
  url: string;
  port: number;
  queryLogPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function configYaml(queryLog: string, jobs: ScrapeJob[]): string {
  const lines = ["global:", `  query_log_file: ${JSON.stringify(queryLog)}`, "scrape_configs:"];
  if (jobs.length === 0) lines[2] = "scrape_configs: []";
  for (const j of jobs) {
    lines.push(
      `  - job_name: ${JSON.stringify(j.job)}`,
      `    scrape_interval: ${j.intervalSeconds ?? 15}s`,
      `    metrics_path: ${JSON.stringify(j.metricsPath ?? "/metrics")}`,
      `    static_configs:`,
      `      - targets: ${JSON.stringify(j.targets)}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Loads an OpenMetrics file into TSDB blocks (must happen before Prometheus starts on that directory). */
export function backfill(openMetricsFile: string, tsdbDir: string): void {
  mkdirSync(tsdbDir, { recursive: true });
  const r = spawnSync(PROMTOOL_BIN, ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", openMetricsFile, tsdbDir], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`promtool backfill failed: ${r.stderr || r.stdout || r.error?.message}`);
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const configPath = path.join(options.dir, "prometheus.yml");
  const queryLogPath = path.join(options.dir, "query.log");
  writeFileSync(configPath, configYaml(queryLogPath, options.scrapeJobs ?? []));
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${options.tsdbDir ?? path.join(options.dir, "tsdb")}`,
      // Backfilled incident data may be old: keep it instead of deleting it at start.
      "--storage.tsdb.retention.time=3650d",
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
      ...(options.extraArgs ?? []),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const life = supervise(child);
  try {
    await waitFor(async () => {
      if (life.exited()) throw new Error(`prometheus exited: ${stderr}`);
      return (await fetch(`${url}/-/ready`)).ok;
    }, `Prometheus on ${url}`);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return { url, port, queryLogPath, process: child, stop: life.stop };
}
