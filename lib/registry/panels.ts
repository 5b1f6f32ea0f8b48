// The Prometheus panels, by page, in screen order.
import { APF_PANELS, apfByFlowSchema, apfQueueWait, apfRejections, apfSeatUtilisation } from "../apf/panels";
import { ADMISSION_PANELS, WEBHOOK_PANELS } from "../webhooks/panels";
import type { PanelDef } from "../panels/panel-def";
import { inflight, latencyByVerb, requestsByCode, requestsByVerb } from "../overview/panels-requests";
import { cpu, etcdLatencyByOperation, etcdLatencyByResource, longRunning, memory, objectCounts, topRequests } from "../overview/panels-storage";

export const OVERVIEW_PANELS: readonly PanelDef[] = [
  requestsByCode,
  requestsByVerb,
  latencyByVerb,
  inflight,
  apfRejections,
  apfQueueWait,
  apfSeatUtilisation,
  etcdLatencyByOperation,
  longRunning,
  topRequests,
  objectCounts,
  etcdLatencyByResource,
  memory,
  cpu,
];

/** Beside the audit view on the Load page: what the metrics say about the same window. */
export const LOAD_PANELS: readonly PanelDef[] = [topRequests, apfByFlowSchema];

/** Every panel GET /api/panels/{id} serves, once each, in page order (the README lists them; a test keeps it true). */
export const ALL_PANELS: readonly PanelDef[] = [
  ...new Set([...OVERVIEW_PANELS, ...LOAD_PANELS, ...WEBHOOK_PANELS, ...ADMISSION_PANELS, ...APF_PANELS]),
];

export function findPanel(id: string): PanelDef | undefined {
  return ALL_PANELS.find((p) => p.id === id);
}
