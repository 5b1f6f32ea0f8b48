// generateScenario: one simulation, two outputs (OpenMetrics and audit log), one summary.

import { AuditLog } from "./audit-log";
import { APF_QUEUE_WAIT_LIMIT_US, REQUEST_TIMEOUT_US, type FlowSchemaName } from "./cluster";
import { runSimulation } from "./engine";
import { registerFamilies } from "./metric-families";
import { finalizeMetrics } from "./metrics-finalize";
import { MetricsRecorder } from "./metrics-recorder";
import { MetricStore } from "./metrics-store";
import { writeOpenMetrics } from "./openmetrics";
import { sampleIndexOf, timelineOf, validateParams } from "./params";
import { buildSummary } from "./summary";
import { AuditCounts } from "./summary-stats";
import type { SimRequest } from "./task";
import type { ScenarioParams, ScenarioSinks, ScenarioSummary } from "./types";
import { buildWorkload } from "./workload";

export function generateScenario(params: ScenarioParams, sinks: ScenarioSinks): ScenarioSummary {
  validateParams(params);
  const timeline = timelineOf(params);
  const workload = buildWorkload(params, timeline);
  const store = new MetricStore(timeline.samples, timeline.stepUs);
  const families = registerFamilies(store);
  const recorder = new MetricsRecorder(store, families, params.apiservers, workload.objectScale);
  for (const flow of new Set<FlowSchemaName>(workload.tasks.map((t) => t.flow))) recorder.registerFlow(flow);

  const audit = sinks.audit ? new AuditLog(timeline, params.seed, sinks.audit.bind(sinks)) : null;
  const counts = new AuditCounts(timeline.endUs);
  const dnsDownUs = workload.dnsInstances.map(() => new Float64Array(timeline.samples));
  const rolloutEndUs = timeline.incidentStartUs + timeline.rolloutUs;
  // Same phase as the summary's incident statistics.
  const incidentFromUs = rolloutEndUs < timeline.endUs ? rolloutEndUs : timeline.incidentStartUs;
  const webhookUs = { baseline: [] as number[], incident: [] as number[], sidecar: [] as number[], timeouts: 0 };

  const noteWebhooks = (req: SimRequest) => {
    if (!req.task.shape.podWebhooks || req.validatingWebhookUs === 0 || req.endUs > timeline.endUs) return;
    if (req.mutatingWebhookUs > 0) webhookUs.sidecar.push(req.mutatingWebhookUs);
    if (req.arrivalUs < timeline.incidentStartUs) webhookUs.baseline.push(req.validatingWebhookUs);
    if (req.arrivalUs >= incidentFromUs) webhookUs.incident.push(req.validatingWebhookUs);
    if (req.webhookTimedOut) webhookUs.timeouts++;
  };

  runSimulation(params, timeline, workload, {
    advance: (nowUs) => audit?.advance(nowUs),
    request: (req) => {
      recorder.request(req);
      counts.add(req);
      noteWebhooks(req);
      audit?.add(req);
    },
    dnsDown: (instance, fromUs, toUs) => addOverlap(dnsDownUs[instance], fromUs, toUs, timeline.stepUs),
  });
  audit?.finish();

  finalizeMetrics({
    store,
    families,
    apiservers: params.apiservers,
    capacity: workload.capacity,
    counts: workload.counts,
    memorySeries: recorder.memory,
    cpuSeries: recorder.cpu,
    dnsInstances: workload.dnsInstances,
    dnsDownUs,
    nodes: params.nodes,
    seed: params.seed,
    baselineSamples: sampleIndexOf(timeline, timeline.incidentStartUs),
    incidentFromSample: sampleIndexOf(timeline, incidentFromUs),
  });
  const stats = writeOpenMetrics(store, timeline.startUnixSeconds, timeline.stepSeconds, (chunk) =>
    sinks.openMetrics(chunk),
  );

  return buildSummary({
    params,
    timeline,
    workload,
    store,
    families,
    counts,
    webhookUs,
    openMetrics: stats,
    limits: { apfQueueWaitUs: APF_QUEUE_WAIT_LIMIT_US, requestTimeoutUs: REQUEST_TIMEOUT_US },
  });
}

/** Adds the part of [fromUs, toUs) falling in each scrape interval (T[k-1], T[k]] to acc[k]. */
function addOverlap(acc: Float64Array | undefined, fromUs: number, toUs: number, stepUs: number): void {
  if (!acc) return;
  const start = Math.max(0, fromUs);
  for (let k = Math.max(1, Math.ceil(start / stepUs)); k < acc.length && (k - 1) * stepUs < toUs; k++) {
    const overlap = Math.min(toUs, k * stepUs) - Math.max(start, (k - 1) * stepUs);
    if (overlap > 0) acc[k] = (acc[k] as number) + overlap;
  }
}
