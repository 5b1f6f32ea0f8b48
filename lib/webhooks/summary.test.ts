import { describe, expect, it } from "vitest";
import type { InstantSample } from "../prometheus/types";
import { ADMISSION_PANELS } from "./panels";
import { shapeSummary } from "./summary";
import { schemaFromDiscovery } from "../prometheus/schema";
import { summaryQueries, WEBHOOK_METRICS } from "./summary-queries";

const s = (labels: Record<string, string>, value: number | null): InstantSample => ({ labels, timeMs: 0, value });
const slow = { name: "policy.example.com", type: "validating" };
const sidecar = { name: "inject.example.com", type: "admit" };

const base = {
  windowSeconds: 600,
  calls: [s(slow, 1200), s(sidecar, 6000)],
  seconds: [s(slow, 2400), s(sidecar, 60)],
  quantiles: { 0.5: [s(slow, 1.2), s(sidecar, 0.005)], 0.9: [s(slow, 4), s(sidecar, 0.01)], 0.99: [s(slow, 9.5), s(sidecar, Number.NaN)] },
  slowBuckets: [s({ ...slow, le: "10" }, 1190), s({ ...slow, le: "25" }, 1198), s({ ...slow, le: "+Inf" }, 1200), s({ ...sidecar, le: "+Inf" }, 6000), s({ ...sidecar, le: "10" }, 6000)],
  codes: [s({ ...slow, code: "200" }, 1150), s({ ...slow, code: "500" }, 40)],
  rejections: [
    s({ ...slow, error_type: "calling_webhook_error", rejection_code: "0" }, 10),
    s({ ...slow, error_type: "no_error", rejection_code: "403" }, 25),
    s({ ...sidecar, error_type: "no_error", rejection_code: "400" }, 0),
  ],
  failOpen: [s(sidecar, 3)],
  admissionSeconds: [s({}, 3000)],
  requestSeconds: [s({}, 12_000)],
  stepP99: [s({ type: "validate" }, 9.9), s({ type: "admit" }, 0.02)],
  stepPeakP99: [s({ type: "validate" }, 14), s({ type: "admit" }, Number.NaN)],
  peakStepSeconds: 30,
  controllersP99: [s({ name: "NamespaceLifecycle", type: "validate" }, 0.0001), s({ name: "LimitRanger", type: "admit" }, 0.0005)],
};

describe("admission webhook summary shaping", () => {
  it("gives each webhook its calls, latency, time share, slow calls, answers, rejections and failures", () => {
    const { webhooks, admission } = shapeSummary(base);
    expect(webhooks.map((w) => [w.name, w.type])).toEqual([
      ["policy.example.com", "validating"],
      ["inject.example.com", "mutating"],
    ]);
    const [p, i] = webhooks;
    expect(p).toMatchObject({
      calls: 1200,
      callsPerSecond: 2,
      p50: 1.2,
      p90: 4,
      p99: 9.5,
      seconds: 2400,
      shareOfAdmission: 0.8,
      slowerThan10s: 10,
      slowerThan25s: 2,
      codes: { "200": 1150, "500": 40 },
      rejected: 35,
      failedCalls: 10,
      failOpen: 0,
    });
    expect(p!.rejections).toEqual([
      { errorType: "no_error", rejectionCode: "403", count: 25 },
      { errorType: "calling_webhook_error", rejectionCode: "0", count: 10 },
    ]);
    expect(p!.warnings).toEqual(["10 calls took longer than 10 s, the default webhook timeout", "10 calls failed"]);
    expect(i).toMatchObject({ p99: null, failOpen: 3, failedCalls: 3, rejected: 0, warnings: ["3 calls failed (3 failed open)"] });
    const one = shapeSummary({ ...base, rejections: [s({ ...slow, error_type: "calling_webhook_error", rejection_code: "0" }, 1)] }).webhooks[0]!;
    expect(one.warnings).toContain("1 call failed");
    expect(admission.shareOfMutatingLatency).toBe(0.25);
    expect(admission.stepP99).toEqual([
      { type: "validate", p99: 9.9, peakP99: 14 },
      { type: "admit", p99: 0.02, peakP99: null },
    ]);
    expect(admission.peakStepSeconds).toBe(30);
    expect(admission.controllers.map((c) => c.name)).toEqual(["LimitRanger", "NamespaceLifecycle"]);
  });

  it("warns before the timeout and leaves what a Prometheus lacks as unknown, not zero", () => {
    const { webhooks } = shapeSummary({
      ...base,
      quantiles: { ...base.quantiles, 0.99: [s(slow, 6), s(sidecar, 0.02)] },
      slowBuckets: [],
      codes: null,
      rejections: null,
      failOpen: null,
      admissionSeconds: [],
    });
    const p = webhooks.find((w) => w.name === "policy.example.com")!;
    expect(p.warnings).toEqual(["p99 of 6.0 s is approaching the default 10 s timeout"]);
    expect({ codes: p.codes, failOpen: p.failOpen, shareOfAdmission: p.shareOfAdmission }).toEqual({ codes: null, failOpen: null, shareOfAdmission: null });
  });
});

describe("admission summary queries", () => {
  const sel = 'job="apiserver"';
  const q = summaryQueries(sel, { windowSeconds: 3600, stepSeconds: 30, rateWindowSeconds: 120 });
  it("peak the very p99 series the admission-latency chart draws, over the same window and steps", () => {
    const chart = ADMISSION_PANELS.find((p) => p.id === "admission-latency")!.build(
      schemaFromDiscovery({ names: [WEBHOOK_METRICS.step], labels: {} }),
      { sel, rateWindow: "120s", rangeWindow: "3600s", targetLabels: "job, instance", inflightLimits: { readOnly: 400, mutating: 200 }, webhookSel: "" },
    ).promql;
    // The chart's points are at the steps from start to end; the subquery's are aligned the same way, and one step
    // longer than the window so that the point at its start is in.
    expect(q.stepPeakP99).toBe(`max_over_time(${chart}[3630s:30s])`);
  });
  it("give the window's p99 from all of the window's requests, a different number", () => {
    expect(q.stepP99).toBe(
      'histogram_quantile(0.99, sum by (type, le) (increase(apiserver_admission_step_admission_duration_seconds_bucket{job="apiserver"}[3600s])))',
    );
  });
});
