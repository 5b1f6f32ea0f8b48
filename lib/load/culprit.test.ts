// Culprit scoring: the client whose share of load rose the most is named, not merely the busiest one.
import { describe, expect, it } from "vitest";
import { MIN_JUMP, scoreCulprits, type ClientLoad } from "./culprit";

const load = (client: string | null, requests: number, extra: Partial<ClientLoad> = {}): ClientLoad => ({
  client,
  requests,
  seconds: requests * 0.01,
  throttled: 0,
  errors: 0,
  sources: 1,
  ...extra,
});

describe("culprit scoring", () => {
  it("names the client whose share jumped, not the one that was always the busiest", () => {
    const before = [load("kubelet", 4000), load("kube-controller-manager", 5000), load("telemetry-agent", 200), load(null, 800)];
    const now = [load("kubelet", 4000), load("kube-controller-manager", 5000), load("telemetry-agent", 12000), load(null, 800)];
    const v = scoreCulprits(now, before);
    expect(v.kind).toBe("jump");
    expect(v.hasBaseline).toBe(true);
    expect(v.culprit?.client).toBe("telemetry-agent");
    expect(v.culprit?.now.share).toBeCloseTo(12000 / 21800, 9);
    expect(v.culprit?.before.share).toBeCloseTo(200 / 10000, 9);
    expect(v.culprit?.jump).toBeCloseTo(12000 / 21800 - 0.02, 9);
    expect(v.culprit?.jumpBy).toBe("requests");
    expect(v.ranked[0]?.client).toBe("telemetry-agent");
  });

  it("names a client whose requests got expensive even when their number hardly changed", () => {
    const before = [load("batch-job", 1000, { seconds: 10 }), load("kubelet", 9000, { seconds: 90 })];
    const now = [load("batch-job", 1100, { seconds: 900 }), load("kubelet", 9000, { seconds: 90 })];
    const v = scoreCulprits(now, before);
    expect(v.kind).toBe("jump");
    expect(v.culprit?.client).toBe("batch-job");
    expect(v.culprit?.jumpBy).toBe("cost");
    expect(v.culprit?.now.costShare).toBeCloseTo(900 / 990, 9);
  });

  it("names the busiest client, and says so, when no share rose by MIN_JUMP", () => {
    const before = [load("kubelet", 5000), load("scheduler", 5000)];
    const now = [load("kubelet", 5000 * (1 + MIN_JUMP)), load("scheduler", 5000 * (1 - MIN_JUMP))];
    const v = scoreCulprits(now, before);
    expect(v.kind).toBe("busiest");
    expect(v.culprit?.client).toBe("kubelet");
  });

  it("names the busiest client when there is nothing before the window to compare with", () => {
    const v = scoreCulprits([load("a", 10), load("b", 30)], []);
    expect(v).toMatchObject({ kind: "busiest", hasBaseline: false, culprit: { client: "b" } });
    expect(v.ranked.map((c) => c.client)).toEqual(["b", "a"]);
  });

  it("never names the other row, though it counts in every share", () => {
    const v = scoreCulprits([load(null, 9000), load("a", 1000)], [load(null, 100), load("a", 100)]);
    expect(v.culprit?.client).toBe("a");
    expect(v.culprit?.now.share).toBeCloseTo(0.1, 9);
    expect(v.ranked.every((c) => c.client !== null)).toBe(true);
  });

  it("counts the 429s the other clients got, now and before", () => {
    const before = [load("agent", 10), load("kubelet", 1000, { throttled: 3 }), load(null, 100, { throttled: 1 })];
    const now = [load("agent", 5000, { throttled: 700 }), load("kubelet", 1000, { throttled: 250 }), load(null, 100, { throttled: 50 })];
    const v = scoreCulprits(now, before);
    expect(v.culprit?.client).toBe("agent");
    expect(v.culprit?.now.throttled).toBe(700);
    expect(v.othersThrottled).toEqual({ now: 300, before: 4 });
  });

  it("has no culprit without requests", () => {
    expect(scoreCulprits([], [load("a", 10)])).toMatchObject({ kind: "none", culprit: null, ranked: [] });
  });
});
