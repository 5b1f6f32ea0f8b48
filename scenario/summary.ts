// Assembles the JSON-serialisable scenario summary.

import { CLUSTER_NAME, KUBE_VERSION, apiserverInstance } from "./cluster";
import { round } from "./format";
import type { Families } from "./metric-families";
import { HEALTHY_WEBHOOK, SLOW_WEBHOOK } from "./metrics-recorder";
import type { MetricStore } from "./metrics-store";
import type { OpenMetricsStats } from "./openmetrics";
import { sampleIndexOf, type Timeline } from "./params";
import { POLICY_TIMEOUT_US } from "./cost-model";
import {
  counterIncrease,
  gaugePeakPerInstance,
  histogramQuantile,
  sampleQuantile,
  type AuditCounts,
} from "./summary-stats";
import type { ScenarioParams, ScenarioSummary } from "./types";
import type { Workload } from "./workload";
import { CULPRIT } from "./workload-nodes";

export interface SummaryInput {
  params: ScenarioParams;
  timeline: Timeline;
  workload: Workload;
  store: MetricStore;
  families: Families;
  counts: AuditCounts;
  webhookUs: { baseline: number[]; incident: number[]; sidecar: number[]; timeouts: number };
  openMetrics: OpenMetricsStats;
  limits: { apfQueueWaitUs: number; requestTimeoutUs: number };
}

export function buildSummary(input: SummaryInput): ScenarioSummary {
  const { params, timeline, workload, store, families: f, counts } = input;
  const incidentK = sampleIndexOf(timeline, timeline.incidentStartUs);
  const rolloutEndUs = timeline.incidentStartUs + timeline.rolloutUs;
  const lastK = store.samples - 1;
  // "Incident" statistics cover the fully rolled-out phase, or the whole incident if the rollout outlasts the window.
  const rolloutEndK = Math.min(lastK, sampleIndexOf(timeline, rolloutEndUs));
  const incidentFromK = rolloutEndK < lastK ? rolloutEndK : incidentK;
  const notWatch = (labels: string) => !labels.includes('verb="WATCH"') && !labels.includes('verb="CONNECT"');
  const p99 = (family: typeof f.requestDuration, match: (l: string) => boolean, from: number, to: number) =>
    round(histogramQuantile(store, family, match, from, to, 0.99), 3);
  const incidentRequests = counterIncrease(store, f.requestTotal, () => true, incidentFromK, lastK);
  const incident429 = counterIncrease(store, f.requestTotal, (l) => l.includes('code="429"'), incidentFromK, lastK);
  const etcdList = (l: string) => l.includes('operation="list"');
  const toSeconds = (us: number) => round(us / 1e6, 3);
  const slowWebhook = (l: string) => l.includes(`name="${SLOW_WEBHOOK}"`);

  return {
    params,
    clusterName: CLUSTER_NAME,
    kubernetesVersion: KUBE_VERSION,
    window: {
      startUnixSeconds: timeline.startUnixSeconds,
      endUnixSeconds: timeline.endUnixSeconds,
      scrapeIntervalSeconds: timeline.stepSeconds,
      samplesPerSeries: timeline.samples,
    },
    incident: {
      startUnixSeconds: timeline.startUnixSeconds + timeline.incidentStartUs / 1e6,
      rolloutEndUnixSeconds: timeline.startUnixSeconds + rolloutEndUs / 1e6,
    },
    apiserverInstances: Array.from({ length: params.apiservers }, (_, i) => apiserverInstance(i)),
    capacity: {
      maxRequestsInflight: workload.capacity.maxRequestsInflight,
      maxMutatingRequestsInflight: workload.capacity.maxMutatingRequestsInflight,
      nominalSeats: workload.capacity.nominalSeats,
      apfQueueWaitLimitSeconds: input.limits.apfQueueWaitUs / 1e6,
      requestTimeoutSeconds: input.limits.requestTimeoutUs / 1e6,
    },
    culprit: {
      client: CULPRIT.client,
      daemonSet: CULPRIT.daemonSet,
      namespace: CULPRIT.namespace,
      serviceAccount: CULPRIT.serviceAccount,
      username: CULPRIT.username,
      userAgent: CULPRIT.userAgent,
      requestShapes: workload.culprit.requestShapes,
      fanOut: workload.culprit.fanOut,
    },
    webhooks: {
      slow: {
        name: SLOW_WEBHOOK,
        type: "validating",
        operations: ["CREATE", "UPDATE"],
        failurePolicy: "Fail",
        timeoutSeconds: POLICY_TIMEOUT_US / 1e6,
        baselineP99Seconds: toSeconds(sampleQuantile(input.webhookUs.baseline, 0.99)),
        incidentP99Seconds: toSeconds(sampleQuantile(input.webhookUs.incident, 0.99)),
        baselineHistogramP99Seconds: p99(f.webhookDuration, slowWebhook, 0, incidentK),
        incidentHistogramP99Seconds: p99(f.webhookDuration, slowWebhook, incidentFromK, lastK),
        timeouts: input.webhookUs.timeouts,
      },
      healthy: {
        name: HEALTHY_WEBHOOK,
        type: "admit",
        p99Seconds: toSeconds(sampleQuantile(input.webhookUs.sidecar, 0.99)),
        histogramP99Seconds: p99(f.webhookDuration, (l) => l.includes(`name="${HEALTHY_WEBHOOK}"`), 0, lastK),
      },
    },
    story: {
      baselineRequestP99Seconds: p99(f.requestDuration, notWatch, 0, incidentK),
      incidentRequestP99Seconds: p99(f.requestDuration, notWatch, incidentFromK, lastK),
      incidentRejected429Share: incidentRequests > 0 ? round(incident429 / incidentRequests, 4) : 0,
      peakReadOnlyInflight: gaugePeakPerInstance(f.inflight, (l) => l.includes('request_kind="readOnly"')),
      readOnlyInflightLimit: workload.capacity.maxRequestsInflight,
      peakWorkloadLowExecutingSeats: gaugePeakPerInstance(f.executingSeats, (l) =>
        l.includes('priority_level="workload-low"'),
      ),
      baselineEtcdListP99Seconds: p99(f.etcdDuration, etcdList, 0, incidentK),
      incidentEtcdListP99Seconds: p99(f.etcdDuration, etcdList, incidentFromK, lastK),
    },
    audit: {
      totalEvents: counts.requests + counts.responseStarted,
      requests: counts.requests,
      responseStarted: counts.responseStarted,
      byClient: sortedRecord(counts.byClient),
      byVerbResourceCode: sortedRecord(counts.byVerbResourceCode),
    },
    metrics: { series: input.openMetrics.series, families: input.openMetrics.families },
  };
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
