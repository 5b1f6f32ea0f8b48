// The incident story: healthy baseline, the telemetry DaemonSet rolls out,
// workload-low saturates, 429s and latency follow.

import { beforeAll, describe, expect, it } from "vitest";
import { generateScenario } from "./generate";
import { DEFAULT_SCENARIO } from "./types";
import { SMALL_SCENARIO, generateToStrings, unixSeconds, type AuditEvent, type GeneratedScenario } from "./testing/fixture";
import { increase, parseOpenMetrics, select, type ParsedOpenMetrics } from "./testing/openmetrics-reader";

let generated: GeneratedScenario;
let metrics: ParsedOpenMetrics;
let completed: AuditEvent[];
let incidentStart: number;
let rolloutEnd: number;
/** Sample indexes of the incident start and the end of the rollout. */
let kIncident: number;
let kRolloutEnd: number;
let kLast: number;

beforeAll(() => {
  generated = generateToStrings(SMALL_SCENARIO);
  metrics = parseOpenMetrics(generated.openMetrics);
  completed = generated.auditLines.map((l) => JSON.parse(l) as AuditEvent).filter((e) => e.stage === "ResponseComplete");
  const { summary } = generated;
  incidentStart = summary.incident.startUnixSeconds;
  rolloutEnd = summary.incident.rolloutEndUnixSeconds;
  const step = summary.window.scrapeIntervalSeconds;
  kIncident = Math.floor((incidentStart - summary.window.startUnixSeconds) / step);
  kRolloutEnd = Math.ceil((rolloutEnd - summary.window.startUnixSeconds) / step);
  kLast = summary.window.samplesPerSeries - 1;
});

function top(counts: Map<string, number>): string | undefined {
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** histogram_quantile(q, sum by (le) (increase(...))) over samples (from, to]. */
function p99(name: string, exclude: (labels: Record<string, string>) => boolean, from: number, to: number): number {
  const byLe = new Map<number, number>();
  for (const s of select(metrics, `${name}_bucket`)) {
    if (exclude(s.labels)) continue;
    const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + increase(s, from, to));
  }
  const les = [...byLe.keys()].sort((a, b) => a - b);
  const total = byLe.get(Infinity) ?? 0;
  const rank = 0.99 * total;
  let prevCount = 0;
  let prevLe = 0;
  for (const le of les) {
    const count = byLe.get(le) as number;
    if (count >= rank) return le === Infinity ? prevLe : prevLe + ((le - prevLe) * (rank - prevCount)) / (count - prevCount);
    prevCount = count;
    prevLe = le;
  }
  return prevLe;
}

describe("incident story", () => {
  it("makes the telemetry agent the top client by requests once the incident starts", () => {
    const incident = completed.filter((e) => unixSeconds(e.requestReceivedTimestamp) >= incidentStart);
    const byAgent = new Map<string, number>();
    const byUser = new Map<string, number>();
    for (const e of incident) {
      byAgent.set(e.userAgent, (byAgent.get(e.userAgent) ?? 0) + 1);
      byUser.set(e.user.username, (byUser.get(e.user.username) ?? 0) + 1);
    }
    expect(top(byAgent)).toBe(generated.summary.culprit.userAgent);
    expect(top(byUser)).toBe("system:serviceaccount:telemetry:telemetry-agent");
  });

  it("fans out from every node", () => {
    const ips = new Set(completed.filter((e) => e.user.username === generated.summary.culprit.username).map((e) => e.sourceIPs[0]));
    expect(ips.size).toBe(SMALL_SCENARIO.nodes);
    expect(generated.summary.culprit.fanOut).toBe(SMALL_SCENARIO.nodes);
  });

  it("lists without resourceVersion=0 and without limit", () => {
    const lists = completed.filter((e) => e.user.username === generated.summary.culprit.username && e.verb === "list");
    expect(lists.length).toBeGreaterThan(1000);
    for (const e of lists) {
      expect(e.requestURI).not.toContain("resourceVersion=0");
      expect(e.requestURI).not.toContain("limit=");
      expect(e.objectRef.namespace).toBeUndefined();
    }
    expect(new Set(lists.map((e) => e.requestURI))).toEqual(new Set(["/api/v1/pods", "/api/v1/nodes", "/api/v1/endpoints"]));
  });

  it("has no 429s before the incident and many after the rollout, in both outputs", () => {
    const tooMany = completed.filter((e) => e.responseStatus.code === 429);
    expect(tooMany.filter((e) => unixSeconds(e.stageTimestamp) < incidentStart)).toEqual([]);
    expect(tooMany.filter((e) => unixSeconds(e.stageTimestamp) > rolloutEnd).length).toBeGreaterThan(100);
    const counters = select(metrics, "apiserver_request_total", { code: "429" });
    expect(counters.reduce((n, s) => n + increase(s, 0, kIncident), 0)).toBe(0);
    expect(counters.reduce((n, s) => n + increase(s, kRolloutEnd, kLast), 0)).toBeGreaterThan(100);
    const reasons = new Set(
      select(metrics, "apiserver_flowcontrol_rejected_requests_total")
        .filter((s) => increase(s, 0, kLast) > 0)
        .map((s) => s.labels.reason),
    );
    expect(reasons).toEqual(new Set(["queue-full", "time-out"]));
  });

  it("hurts the operators that share the workload-low priority level", () => {
    const collateral = new Set(
      completed
        .filter((e) => e.responseStatus.code === 429 && e.user.username !== generated.summary.culprit.username)
        .map((e) => e.user.username),
    );
    expect(collateral.size).toBeGreaterThanOrEqual(1);
    for (const user of collateral) expect(user).toMatch(/^system:serviceaccount:(?!kube-system:)/);
  });

  it("raises request latency p99 several-fold, computed from the emitted histogram", () => {
    const watches = (l: Record<string, string>) => l.verb === "WATCH" || l.verb === "CONNECT";
    const baseline = p99("apiserver_request_duration_seconds", watches, 0, kIncident);
    const incident = p99("apiserver_request_duration_seconds", watches, kRolloutEnd, kLast);
    expect(baseline).toBeLessThan(1);
    expect(incident).toBeGreaterThan(5 * baseline);
    expect(baseline).toBeCloseTo(generated.summary.story.baselineRequestP99Seconds, 2);
    expect(incident).toBeCloseTo(generated.summary.story.incidentRequestP99Seconds, 2);
    const etcdBaseline = p99("etcd_request_duration_seconds", (l) => l.operation !== "list", 0, kIncident);
    const etcdIncident = p99("etcd_request_duration_seconds", (l) => l.operation !== "list", kRolloutEnd, kLast);
    expect(etcdIncident).toBeGreaterThan(5 * etcdBaseline);
  });

  it("saturates workload-low seats and lifts read-only in-flight requests", () => {
    const { story, capacity } = generated.summary;
    expect(story.peakWorkloadLowExecutingSeats).toBe(capacity.nominalSeats["workload-low"]);
    expect(story.peakReadOnlyInflight).toBeGreaterThan(0.5 * capacity.maxRequestsInflight);
    const inflightBefore = Math.max(
      ...select(metrics, "apiserver_current_inflight_requests", { request_kind: "readOnly" }).flatMap((s) =>
        s.values.slice(0, kIncident + 1),
      ),
    );
    expect(inflightBefore).toBeLessThan(0.2 * capacity.maxRequestsInflight);
  });

  it("raises CoreDNS SERVFAIL responses", () => {
    const servfail = select(metrics, "coredns_dns_responses_total", { rcode: "SERVFAIL" });
    const all = select(metrics, "coredns_dns_responses_total");
    const share = (from: number, to: number) =>
      servfail.reduce((n, s) => n + increase(s, from, to), 0) / all.reduce((n, s) => n + increase(s, from, to), 0);
    expect(share(kRolloutEnd, kLast)).toBeGreaterThan(5 * share(0, kIncident));
  });
});

describe("default scenario", () => {
  it("tells the story at full size (metrics only)", () => {
    let bytes = 0;
    const summary = generateScenario(
      { ...DEFAULT_SCENARIO, endUnixSeconds: 1733929800 },
      { openMetrics: (chunk) => (bytes += chunk.length) },
    );
    const { story, webhooks, capacity, culprit } = summary;
    expect(culprit.fanOut).toBe(300);
    expect(capacity.nominalSeats).toEqual({
      exempt: 0,
      "catch-all": 13,
      system: 74,
      "node-high": 98,
      "leader-election": 25,
      "workload-high": 98,
      "workload-low": 245,
      "global-default": 49,
    });
    expect(story.baselineRequestP99Seconds).toBeLessThan(0.2);
    expect(story.incidentRequestP99Seconds).toBeGreaterThan(10 * story.baselineRequestP99Seconds);
    expect(story.incidentRejected429Share).toBeGreaterThan(0.1);
    expect(story.peakWorkloadLowExecutingSeats).toBe(245);
    expect(story.peakReadOnlyInflight).toBeGreaterThan(200);
    expect(story.peakReadOnlyInflight).toBeLessThanOrEqual(400);
    expect(webhooks.slow.baselineP99Seconds).toBeGreaterThan(1.5);
    expect(webhooks.slow.baselineP99Seconds).toBeLessThan(3.5);
    expect(webhooks.slow.incidentP99Seconds).toBeGreaterThan(webhooks.slow.baselineP99Seconds);
    expect(webhooks.slow.timeouts).toBeGreaterThan(0);
    expect(webhooks.slow.baselineHistogramP99Seconds).toBeLessThan(3);
    expect(webhooks.slow.incidentHistogramP99Seconds).toBeGreaterThan(2 * webhooks.slow.baselineHistogramP99Seconds);
    expect(webhooks.healthy.p99Seconds).toBeGreaterThanOrEqual(0.015);
    expect(webhooks.healthy.histogramP99Seconds).toBeLessThanOrEqual(0.05);
    expect(summary.metrics.series).toBeLessThan(5000);
    expect(summary.audit.totalEvents).toBeLessThan(600_000);
    expect(bytes).toBeGreaterThan(0);
  });
});
