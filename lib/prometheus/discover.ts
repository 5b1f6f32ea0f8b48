import "server-only";
import type { Gateway } from "./gateway";
import { selector } from "../promql";
import { DISCOVERED_NAMES_REGEX, metricsNeedingLabels, schemaFromDiscovery, type Discovery, type MetricSchema } from "./schema";

const HOUR = 3600;

/**
 * Asks Prometheus which relevant metric and label names exist around a window. The window is widened to whole
 * hours so that nearby views share the same (cached) discovery calls.
 */
export async function discoverSchema(
  gateway: Gateway,
  baseSelector: string,
  startSeconds: number,
  endSeconds: number,
): Promise<MetricSchema> {
  const start = Math.floor(startSeconds / HOUR) * HOUR;
  const end = Math.ceil(endSeconds / HOUR) * HOUR;
  const nameMatch = selector("", baseSelector, `__name__=~"${DISCOVERED_NAMES_REGEX}"`);
  const names = await gateway.labelValues("__name__", [nameMatch], start, end);
  const labels: Discovery["labels"] = {};
  await Promise.all(
    metricsNeedingLabels(names).map(async (metric) => {
      labels[metric] = await gateway.labelNames([selector(metric, baseSelector)], start, end);
    }),
  );
  return schemaFromDiscovery({ names, labels });
}
