// The overview's panels in screen order.
import type { PanelDef } from "./panel-def";
import { apfQueueWait, apfRejections, apfSeatUtilisation, inflight, latencyByVerb, requestsByCode, requestsByVerb } from "./panels-requests";
import { cpu, etcdLatencyByOperation, etcdLatencyByResource, longRunning, memory, objectCounts, topRequests } from "./panels-storage";

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

export function findPanel(id: string): PanelDef | undefined {
  return OVERVIEW_PANELS.find((p) => p.id === id);
}
