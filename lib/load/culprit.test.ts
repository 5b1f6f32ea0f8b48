// Culprit scoring: the client whose share of the API server's busy time rose is named — against the window before
// when one is stored, inside the window when not — and the costliest client, said to be so, when nothing rose.
import { describe, expect, it } from "vitest";
import { findChange, bucketTotals, MIN_JUMP, scoreCulprits, type ClientLoad, type ClientSeries, type WindowSeries } from "./culprit";
import { alsoRose, culpritHeadline, culpritTitle } from "./culprit-text";

const load = (client: string | null, requests: number, extra: Partial<ClientLoad> = {}): ClientLoad => ({
  client,
  requests,
  seconds: requests * 0.01,
  throttled: 0,
  errors: 0,
  ...extra,
});

const START = Date.UTC(2026, 11, 1, 6, 0);
const STEP = 60_000;

/** A client sending `rate(i)` requests in bucket i, each taking `latency` seconds. */
interface Spec {
  client: string | null;
  rate: (i: number) => number;
  latency: number;
  throttled?: number;
}

/** The window's totals and its series, built from the same per-bucket numbers (as the store answers both). */
function windowOf(buckets: number, specs: Spec[]): { now: ClientLoad[]; series: WindowSeries } {
  const clients: ClientSeries[] = specs.map((s) => {
    const requests = Array.from({ length: buckets }, (_, i) => s.rate(i));
    const first = requests.findIndex((n) => n > 0);
    return { client: s.client, requests, seconds: requests.map((n) => n * s.latency), firstMs: first < 0 ? null : START + first * STEP + 7_000 };
  });
  const now = clients.map((c, k) => ({
    client: c.client,
    requests: c.requests.reduce((a, b) => a + b, 0),
    seconds: c.seconds.reduce((a, b) => a + b, 0),
    throttled: specs[k]!.throttled ?? 0,
    errors: 0,
  }));
  return { now, series: { startMs: START, stepMs: STEP, clients } };
}

const steady = (n: number) => () => n;
const from = (bucket: number, n: number) => (i: number) => (i >= bucket ? n : 0);

describe("culprit scoring against the window before", () => {
  it("names the client whose share jumped, not the one that was always the busiest", () => {
    const before = [load("kubelet", 4000), load("kube-controller-manager", 5000), load("telemetry-agent", 200), load(null, 800)];
    const now = [load("kubelet", 4000), load("kube-controller-manager", 5000), load("telemetry-agent", 12000), load(null, 800)];
    const v = scoreCulprits({ now, before, series: null });
    expect(v.kind).toBe("jump");
    expect(v.hasBaseline).toBe(true);
    expect(v.culprit?.client).toBe("telemetry-agent");
    expect(v.culprit?.now.share).toBeCloseTo(12000 / 21800, 9);
    expect(v.culprit?.before?.share).toBeCloseTo(200 / 10000, 9);
    expect(v.culprit?.rise).toBeCloseTo(12000 / 21800 - 0.02, 9);
    expect(v.culprit?.risenBy).toBe("cost");
    expect(culpritTitle(v)).toBe("Likely culprit");
    expect(culpritHeadline(v)).toBe("Its share of the API server's busy time rose from 2% in the window before to 55% (requests: 2% → 55%).");
  });

  it("names a client whose requests got expensive even when their number hardly changed", () => {
    const before = [load("batch-job", 1000, { seconds: 10 }), load("kubelet", 9000, { seconds: 90 })];
    const now = [load("batch-job", 1100, { seconds: 900 }), load("kubelet", 9000, { seconds: 90 })];
    const v = scoreCulprits({ now, before, series: null });
    expect(v.kind).toBe("jump");
    expect(v.culprit?.client).toBe("batch-job");
    expect(v.culprit?.risenBy).toBe("cost");
    expect(v.culprit?.now.costShare).toBeCloseTo(900 / 990, 9);
  });

  it("puts a rise of busy time before a larger rise of cheap requests", () => {
    const before = [load("lister", 1000, { seconds: 100 }), load("pinger", 1000, { seconds: 1 }), load("kubelet", 8000, { seconds: 80 })];
    const now = [load("lister", 1000, { seconds: 400 }), load("pinger", 9000, { seconds: 9 }), load("kubelet", 8000, { seconds: 80 })];
    const v = scoreCulprits({ now, before, series: null });
    expect(v.culprit?.client).toBe("lister");
    expect(v.also.map((c) => [c.client, c.risenBy])).toEqual([["pinger", "requests"]]);
  });

  it("names the costliest client, and says the load is steady, when no share rose by MIN_JUMP", () => {
    const before = [load("kubelet", 5000), load("scheduler", 5000, { seconds: 80 })];
    const now = [load("kubelet", 5000 * (1 + MIN_JUMP)), load("scheduler", 5000 * (1 - MIN_JUMP), { seconds: 80 })];
    const v = scoreCulprits({ now, before, series: null });
    expect(v.kind).toBe("costliest");
    expect(v.culprit?.client).toBe("scheduler");
    expect(culpritTitle(v)).toBe("Costliest client");
    expect(culpritHeadline(v)).toMatch(/^No client's share rose by 5% or more, against the window before or inside this one: steady load\./);
  });

  it("does not take a few stray requests before the window for a baseline", () => {
    const before = [load("kubelet", 40)];
    const { now, series } = windowOf(30, [
      { client: "kubelet", rate: steady(1000), latency: 0.01 },
      { client: "agent", rate: from(15, 200), latency: 2 },
    ]);
    const v = scoreCulprits({ now, before, series });
    expect(v.hasBaseline).toBe(false);
    expect(v.kind).toBe("change");
    expect(v.culprit?.client).toBe("agent");
    expect(v.culprit?.before).toBeNull();
    expect(v.othersThrottled.before).toBeNull();
  });

  it("never names the other row, though it counts in every share", () => {
    const v = scoreCulprits({ now: [load(null, 9000), load("a", 1000)], before: [load(null, 100), load("a", 100)], series: null });
    expect(v.culprit?.client).toBe("a");
    expect(v.culprit?.now.share).toBeCloseTo(0.1, 9);
    expect(v.ranked.every((c) => c.client !== null)).toBe(true);
  });

  it("counts the 429s the other clients got, now and before", () => {
    const before = [load("agent", 10), load("kubelet", 1000, { throttled: 3 }), load(null, 100, { throttled: 1 })];
    const now = [load("agent", 5000, { throttled: 700 }), load("kubelet", 1000, { throttled: 250 }), load(null, 100, { throttled: 50 })];
    const v = scoreCulprits({ now, before, series: null });
    expect(v.culprit?.client).toBe("agent");
    expect(v.culprit?.now.throttled).toBe(700);
    expect(v.othersThrottled).toEqual({ now: 300, before: 4 });
  });

  it("has no culprit without requests", () => {
    expect(scoreCulprits({ now: [], before: [load("a", 1000)], series: null })).toMatchObject({ kind: "none", culprit: null, ranked: [] });
  });
});

describe("culprit scoring inside the window, when nothing is stored before it", () => {
  it("names the client that appeared mid-window and took the busy time, not the one with the most requests", () => {
    // The demo's shape: kubelets send half the requests all along; the agent appears halfway, its LISTs slow.
    const { now, series } = windowOf(90, [
      { client: "kubelet", rate: steady(2300), latency: 0.005 },
      { client: "kube-controller-manager/replicaset-controller", rate: steady(900), latency: 0.01 },
      { client: "coredns", rate: steady(400), latency: 0.004 },
      { client: "telemetry-agent", rate: from(50, 1500), latency: 8, throttled: 86_000 },
    ]);
    const v = scoreCulprits({ now, before: [], series });
    expect(v).toMatchObject({ kind: "change", hasBaseline: false, culprit: { client: "telemetry-agent", risenBy: "cost" } });
    expect(v.culprit?.change).toMatchObject({ appeared: true, atMs: START + 50 * STEP + 7_000 });
    expect(v.culprit?.change?.before.costShare).toBe(0);
    expect(v.culprit?.change?.after.costShare).toBeGreaterThan(0.99);
    expect(culpritHeadline(v)).toBe(
      "It appeared at 06:50 UTC inside this window and took 100% of the busy time from then on (requests: 29%). Nothing is stored before this window, so it was compared within it.",
    );
    expect(v.othersThrottled).toEqual({ now: 0, before: null });
  });

  it("names a client that was already there at a lower rate and rose sharply, at the point it rose", () => {
    const { now, series } = windowOf(60, [
      { client: "kubelet", rate: steady(1000), latency: 0.01 },
      { client: "argocd", rate: (i) => (i < 40 ? 50 : 1500), latency: 0.05 },
    ]);
    const v = scoreCulprits({ now, before: [], series });
    expect(v.kind).toBe("change");
    expect(v.culprit?.client).toBe("argocd");
    expect(v.culprit?.change).toMatchObject({ appeared: false, atMs: START + 40 * STEP });
    expect(v.culprit?.change?.before.costShare).toBeCloseTo(2.5 / 12.5, 9);
    expect(culpritHeadline(v)).toMatch(/^Its share of the API server's busy time rose from 20% to 88% at 06:40 UTC inside this window/);
  });

  it("names both of two culprits that came at once, the costlier first", () => {
    const { now, series } = windowOf(60, [
      { client: "kubelet", rate: steady(1000), latency: 0.01 },
      { client: "agent-a", rate: from(30, 300), latency: 1 },
      { client: "agent-b", rate: from(30, 300), latency: 0.5 },
    ]);
    const v = scoreCulprits({ now, before: [], series });
    expect(v.culprit?.client).toBe("agent-a");
    expect(v.also.map((c) => c.client)).toEqual(["agent-b"]);
    expect(alsoRose(v)).toBe("Also rose: agent-b (busy time 33%, appeared at 06:30 UTC).");
  });

  it("calls steady load steady and names the costliest client, not the one with the most requests", () => {
    const { now, series } = windowOf(60, [
      { client: "kubelet", rate: (i) => 1000 + (i % 7) * 10, latency: 0.005 },
      { client: "kube-controller-manager", rate: (i) => 300 + (i % 5) * 5, latency: 0.05 },
    ]);
    const v = scoreCulprits({ now, before: [], series });
    expect(v.kind).toBe("costliest");
    expect(v.culprit?.client).toBe("kube-controller-manager");
    expect(culpritHeadline(v)).toMatch(/^Nothing is stored before this window and no client's share rose by 5% or more inside it: steady load\. This client costs the most \(75% of the API server's busy time, 23% of requests\)\.$/);
  });

  it("names the only client of a window, and says it is the only one", () => {
    const { now, series } = windowOf(30, [{ client: "kubelet", rate: (i) => (i < 10 ? 100 : 900), latency: 0.01 }]);
    const v = scoreCulprits({ now, before: [], series });
    expect(v).toMatchObject({ kind: "costliest", clients: 1, culprit: { client: "kubelet" } });
    expect(culpritTitle(v)).toBe("Only client");
    expect(culpritHeadline(v)).toBe("It is the only client sending requests in this window (19,000 requests).");
  });

  it("does not call a client that was there from the window's first bucket 'appeared'", () => {
    // An uploaded log that starts at the rollout: everything begins in the first bucket.
    const { now, series } = windowOf(40, [
      { client: "kubelet", rate: steady(1000), latency: 0.005 },
      { client: "telemetry-agent", rate: steady(500), latency: 5 },
    ]);
    const v = scoreCulprits({ now, before: [], series });
    expect(v.kind).toBe("costliest");
    expect(v.culprit?.client).toBe("telemetry-agent");
    expect(v.culprit?.change).toBeNull();
  });

  it("keeps a rise in the last bucket alone from being called a change on a long window", () => {
    const client: ClientSeries = { client: "x", requests: [...Array(59).fill(10), 1000], seconds: [...Array(59).fill(0.1), 10], firstMs: START };
    const base: ClientSeries = { client: "y", requests: Array(60).fill(100), seconds: Array(60).fill(1), firstMs: START };
    const series = { startMs: START, stepMs: STEP, clients: [client, base] };
    const found = findChange(series, bucketTotals(series), client, true);
    // minSide is 3 buckets on 60: the split leaves the spike with two quiet buckets, diluting it.
    expect(found!.atMs).toBeLessThanOrEqual(START + 57 * STEP);
  });
});
