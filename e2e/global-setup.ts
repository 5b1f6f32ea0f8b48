// Starts a real Prometheus loaded with the incident scenario and the production build of apiscope.
import path from "node:path";
import { startApp } from "@/scripts/lib/app";
import { freePort } from "@/scripts/lib/ports";
import { scenarioAppEnv, startScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { E2E_DIR, readState, writeState } from "./harness";

export const E2E_SCENARIO = { nodes: 120, durationMinutes: 60, incidentStartMinute: 30, rolloutMinutes: 8 };
export const E2E_WEBHOOK_TOKEN = "e2e-webhook-token";

export default async function globalSetup() {
  const { files, prometheus, tsdbDir } = await startScenarioPrometheus({ dir: E2E_DIR, params: E2E_SCENARIO, audit: true });
  const env = {
    ...scenarioAppEnv(prometheus.url, { file: files.auditPath!, dataDir: path.join(E2E_DIR, "store") }),
    // A short cache lets the outage test see Prometheus go away within seconds.
    APISCOPE_CACHE_TTL: "2s",
    APISCOPE_AUDIT_WEBHOOK_TOKEN: E2E_WEBHOOK_TOKEN,
  };
  const app = await startApp({ port: await freePort(), env, quiet: true });
  writeState({
    appUrl: app.url,
    prometheus: {
      url: prometheus.url,
      port: prometheus.port,
      pid: prometheus.process.pid!,
      dir: path.join(E2E_DIR, "prometheus"),
      tsdbDir,
      queryLogPath: prometheus.queryLogPath,
    },
    scenario: files.summary,
  });
  return async () => {
    await app.stop();
    // A test may have restarted Prometheus: stop whichever process is current.
    const { pid } = readState().prometheus;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
}
