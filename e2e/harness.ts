// State shared between the global setup (which starts Prometheus and apiscope) and the tests.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ScenarioSummary } from "@/scenario";

export const E2E_DIR = path.resolve(import.meta.dirname, "../.data/e2e");
const STATE_FILE = path.join(E2E_DIR, "state.json");

export interface E2EState {
  appUrl: string;
  prometheus: { url: string; port: number; pid: number; dir: string; tsdbDir: string; queryLogPath: string };
  scenario: ScenarioSummary;
}

export function writeState(state: E2EState): void {
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

export function readState(): E2EState {
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as E2EState;
}
