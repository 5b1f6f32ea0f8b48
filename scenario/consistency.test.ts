// The core invariant: metrics and audit log describe the same requests.
// Every comparison below is exact (tolerance 0).

import { beforeAll, describe, expect, it } from "vitest";
import {
  SMALL_SCENARIO,
  flowSchemaOf,
  generateToStrings,
  metricKeyOf,
  unixSeconds,
  type AuditEvent,
  type GeneratedScenario,
} from "./testing/fixture";
import { increase, parseOpenMetrics, select, type ParsedOpenMetrics } from "./testing/openmetrics-reader";

let generated: GeneratedScenario;
let metrics: ParsedOpenMetrics;
let events: AuditEvent[];
let completed: AuditEvent[];
let last: number;

beforeAll(() => {
  generated = generateToStrings(SMALL_SCENARIO);
  metrics = parseOpenMetrics(generated.openMetrics);
  events = generated.auditLines.map((line) => JSON.parse(line) as AuditEvent);
  completed = events.filter((e) => e.stage === "ResponseComplete");
  last = generated.summary.window.samplesPerSeries - 1;
});

function tally<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe("metrics and audit log agree", () => {
  it("every audit event finishes inside the window", () => {
    const { startUnixSeconds, endUnixSeconds } = generated.summary.window;
    const outside = events.filter((e) => {
      const t = unixSeconds(e.stageTimestamp);
      return t <= startUnixSeconds || t > endUnixSeconds;
    });
    expect(outside).toEqual([]);
  });

  it("apiserver_request_total increases equal audit counts per (verb, group, resource, subresource, scope, code)", () => {
    const fromMetrics = new Map<string, number>();
    for (const s of select(metrics, "apiserver_request_total")) {
      const l = s.labels;
      const verb = l.verb === "APPLY" ? "PATCH" : (l.verb as string);
      const key = [verb, l.group ?? "", l.resource, l.subresource ?? "", l.scope, l.code].join("|");
      fromMetrics.set(key, (fromMetrics.get(key) ?? 0) + increase(s, 0, last));
    }
    for (const [key, n] of [...fromMetrics]) if (n === 0) fromMetrics.delete(key);
    const fromAudit = tally(completed, metricKeyOf);
    expect(Object.fromEntries([...fromMetrics].sort())).toEqual(Object.fromEntries([...fromAudit].sort()));
    expect(completed.length).toBe(generated.summary.audit.requests);
  });

  it("request duration _count increases equal apiserver_request_total increases per series", () => {
    const totals = new Map<string, number>();
    for (const s of select(metrics, "apiserver_request_total")) {
      const { code: _code, ...rest } = s.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      totals.set(key, (totals.get(key) ?? 0) + increase(s, 0, last));
    }
    for (const s of select(metrics, "apiserver_request_duration_seconds_count")) {
      expect(increase(s, 0, last)).toBe(totals.get(JSON.stringify(Object.entries(s.labels).sort())) ?? 0);
    }
  });

  it("APF dispatched + rejected per flow schema equals audit events mapped to that flow schema", () => {
    const fromMetrics = new Map<string, number>();
    for (const name of ["apiserver_flowcontrol_dispatched_requests_total", "apiserver_flowcontrol_rejected_requests_total"]) {
      for (const s of select(metrics, name)) {
        const flow = s.labels.flow_schema as string;
        fromMetrics.set(flow, (fromMetrics.get(flow) ?? 0) + increase(s, 0, last));
      }
    }
    const fromAudit = tally(completed, flowSchemaOf);
    expect(Object.fromEntries([...fromMetrics].sort())).toEqual(Object.fromEntries([...fromAudit].sort()));
  });

  it("APF rejections equal 429 responses, and the wait histogram counts every request", () => {
    const rejected = select(metrics, "apiserver_flowcontrol_rejected_requests_total").reduce((n, s) => n + increase(s, 0, last), 0);
    const tooMany = completed.filter((e) => e.responseStatus.code === 429);
    expect(rejected).toBe(tooMany.length);
    expect(rejected).toBeGreaterThan(0);
    const waits = select(metrics, "apiserver_flowcontrol_request_wait_duration_seconds_count");
    const notExecuted = waits.filter((s) => s.labels.execute === "false").reduce((n, s) => n + increase(s, 0, last), 0);
    const all = waits.reduce((n, s) => n + increase(s, 0, last), 0);
    expect(notExecuted).toBe(tooMany.length);
    expect(all).toBe(completed.length);
  });

  it("slow-webhook timeouts surface as 500s on pod writes and as rejection counts", () => {
    const failedPodWrites = completed.filter((e) => e.responseStatus.code === 500 && e.objectRef.resource === "pods");
    const rejections = select(metrics, "apiserver_admission_webhook_rejection_count", {
      name: "pod-policy.guard.example.com",
      error_type: "calling_webhook_error",
    }).reduce((n, s) => n + increase(s, 0, last), 0);
    expect(rejections).toBe(failedPodWrites.length);
    expect(rejections).toBe(generated.summary.webhooks.slow.timeouts);
  });

  it("summary counts match the audit log", () => {
    const { audit } = generated.summary;
    expect(audit.totalEvents).toBe(events.length);
    expect(audit.responseStarted).toBe(events.length - completed.length);
    expect(Object.values(audit.byClient).reduce((a, b) => a + b, 0)).toBe(completed.length);
    const byVerbResourceCode = tally(completed, (e) => {
      const ref = e.objectRef;
      return `${e.verb} ${ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource} ${e.responseStatus.code}`;
    });
    expect(audit.byVerbResourceCode).toEqual(Object.fromEntries([...byVerbResourceCode].sort()));
  });
});
