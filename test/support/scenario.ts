// The small incident scenario in a real Prometheus, for the integration tests that read it: 60 nodes over 40
// minutes, the telemetry agent rolled out from minute 15 over 5 minutes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startScenarioPrometheus, type ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";

export const SMALL_INCIDENT = { nodes: 60, durationMinutes: 40, incidentStartMinute: 15, rolloutMinutes: 5 };

/** Starts it in a temporary directory; `stop` stops Prometheus and removes the directory. */
export async function startSmallScenario(name: string, options: { audit?: boolean } = {}): Promise<{ run: ScenarioPrometheus; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `apiscope-${name}-`));
  const run = await startScenarioPrometheus({ dir, params: SMALL_INCIDENT, ...options });
  return {
    run,
    stop: async () => {
      await run.prometheus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
