// Deterministic incident scenario: a telemetry DaemonSet makes every node LIST
// and WATCH the API server until the control plane falls over. One simulation
// of individual requests yields both the apiserver metrics (OpenMetrics, for
// promtool backfill) and the matching kube-apiserver audit log.

export { DEFAULT_SCENARIO } from "./types";
export type { CulpritRequestShape, ScenarioParams, ScenarioSinks, ScenarioSummary } from "./types";
export { generateScenario } from "./generate";
export { validateParams, withDefaults } from "./params";
