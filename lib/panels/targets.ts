import "server-only";
// Values for the cluster and instance selectors, read from the API servers' own series.
import type { Config } from "../config";
import { discoverSchema } from "../prometheus/discover";
import type { Gateway } from "../prometheus/gateway";
import { planRange } from "../prometheus/step";
import { selector } from "../promql";
import { resolveRange, type TimeRange } from "../time-range";
import { viewSelector } from "./run-panel";
import type { TargetChoices } from "./targets-types";


export async function listTargets(
  range: TimeRange,
  cluster: string,
  deps: { gateway: Gateway; config: Config; nowMs: number },
): Promise<TargetChoices> {
  const { startMs, endMs } = resolveRange(range, deps.nowMs);
  const plan = planRange(startMs, endMs, 1000, deps.config.scrapeIntervalSeconds);
  const base = deps.config.apiserverSelector;
  const schema = await discoverSchema(deps.gateway, base, plan.startSeconds, plan.endSeconds);
  if (!schema.requestKindLabel) return { clusters: [], instances: [] };
  const metric = "apiserver_current_inflight_requests";
  const [clusters, instances] = await Promise.all([
    schema.hasClusterLabel ? deps.gateway.labelValues("cluster", [selector(metric, base)], plan.startSeconds, plan.endSeconds) : [],
    deps.gateway.labelValues("instance", [selector(metric, viewSelector(base, cluster, ""))], plan.startSeconds, plan.endSeconds),
  ]);
  return { clusters: [...clusters].sort(), instances: [...instances].sort() };
}
