import { describe, expect, it } from "vitest";
import { erlangB, erlangC, estimateEffect, mmck } from "./effect";

// Direct sums, for small c only: the reference the stable recursions are checked against.
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
function mmckDirect(c: number, a: number, k: number) {
  const p = Array.from({ length: k + 1 }, (_, n) => (n <= c ? a ** n / factorial(n) : (a ** c / factorial(c)) * (a / c) ** (n - c)));
  const total = p.reduce((x, y) => x + y, 0);
  return { blocked: p[k]! / total, waits: p.slice(c, k).reduce((x, y) => x + y, 0) / total };
}

describe("Erlang formulas", () => {
  it("match published values", () => {
    expect(erlangB(10, 5)).toBeCloseTo(0.018385, 6);
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    expect(erlangB(5, 2)).toBeCloseTo(0.036697, 6);
    expect(erlangC(10, 5)).toBeCloseTo(0.036, 3);
    expect(erlangC(10, 5)).toBeCloseTo(0.0361, 4);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it("handle edge loads", () => {
    expect(erlangB(10, 0)).toBe(0);
    expect(erlangB(0, 3)).toBe(1);
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(10, 50)).toBe(1);
  });

  it("stay finite for thousands of servers and loads far above them", () => {
    const b = erlangB(5000, 4900);
    expect(Number.isFinite(b)).toBe(true);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(0.05);
    // Far above capacity almost every arrival is blocked: B → 1 − c/A.
    expect(erlangB(3000, 300_000)).toBeCloseTo(1 - 3000 / 300_000, 4);
    expect(erlangC(4000, 3999)).toBeGreaterThan(0.9);
    expect(erlangC(4000, 3000)).toBeLessThan(1e-10);
  });

  it("give M/M/c/K shares equal to the direct sums", () => {
    for (const [c, a, k] of [
      [3, 2, 8],
      [3, 3, 8],
      [3, 6, 8],
      [5, 1, 5],
      [4, 10, 40],
    ] as const) {
      const got = mmck(c, a, k);
      const want = mmckDirect(c, a, k);
      expect(got.blocked, `${c}/${a}/${k}`).toBeCloseTo(want.blocked, 12);
      expect(got.waits, `${c}/${a}/${k}`).toBeCloseTo(want.waits, 12);
    }
    // K = c is Erlang B.
    expect(mmck(10, 5, 10).blocked).toBeCloseTo(erlangB(10, 5), 12);
    // Huge queues and loads neither overflow nor lose the limit 1 − c/A.
    expect(mmck(100, 1000, 100 + 128 * 50).blocked).toBeCloseTo(0.9, 9);
    expect(mmck(100, 50, 100 + 128 * 50).blocked).toBe(0);
  });
});

describe("effect estimate", () => {
  it("applies Little's law and Erlang C in Queue mode", () => {
    const e = estimateEffect({ ratePerSecond: 50, meanLatencySeconds: 0.1, seats: 10, mode: "Queue" });
    expect(e.concurrency).toBeCloseTo(5, 12);
    expect(e.utilisation).toBeCloseTo(0.5, 12);
    expect(e.waitProbability).toBeCloseTo(erlangC(10, 5), 12);
    expect(e.rejectShare).toBeLessThan(1e-12);
    expect(e.throughputCapPerSecond).toBeCloseTo(100, 9);
    expect(e.saturated).toBe(false);
    expect(e.queueCapacity).toBe(16 * 50);
    expect(e.note).toMatch(/wait in a queue/);
  });

  it("uses Erlang B in Reject mode", () => {
    const e = estimateEffect({ ratePerSecond: 50, meanLatencySeconds: 0.1, seats: 10, mode: "Reject" });
    expect(e.rejectShare).toBeCloseTo(0.018385, 6);
    expect(e.waitProbability).toBe(0);
    expect(e.queueCapacity).toBe(0);
    expect(e.note).toMatch(/429/);
  });

  it("says when the queues fill: the throughput cap is seats ÷ latency", () => {
    // 400 requests/s × 0.5 s = 200 in flight against 12 seats.
    const queuing = { queues: 16, handSize: 4, queueLengthLimit: 50 };
    const e = estimateEffect({ ratePerSecond: 400, meanLatencySeconds: 0.5, seats: 12, mode: "Queue", queuing });
    expect(e.saturated).toBe(true);
    expect(e.waitProbability).toBe(1);
    expect(e.throughputCapPerSecond).toBeCloseTo(24, 9);
    expect(e.rejectShare).toBeCloseTo(1 - 12 / 200, 6);
    expect(e.note).toMatch(/queues fill and stay full/);
  });

  it("limits one flow to its hand of queues", () => {
    const queuing = { queues: 128, handSize: 6, queueLengthLimit: 50 };
    // At full load (ρ = 1) the share that overflows depends on the room in the queues.
    const one = estimateEffect({ ratePerSecond: 25, meanLatencySeconds: 1, seats: 25, mode: "Queue", queuing, flows: 1 });
    const many = estimateEffect({ ratePerSecond: 25, meanLatencySeconds: 1, seats: 25, mode: "Queue", queuing });
    expect(one.queueCapacity).toBe(300);
    expect(many.queueCapacity).toBe(6400);
    expect(one.rejectShare).toBeGreaterThan(10 * many.rejectShare);
    const hundred = estimateEffect({ ratePerSecond: 25, meanLatencySeconds: 1, seats: 25, mode: "Queue", queuing, flows: 100 });
    expect(hundred.queueCapacity).toBe(6400);
  });

  it("counts wide requests against the seats", () => {
    const e = estimateEffect({ ratePerSecond: 10, meanLatencySeconds: 1, seats: 12, mode: "Reject", seatsPerRequest: 4 });
    expect(e.throughputCapPerSecond).toBe(3);
    expect(e.rejectShare).toBeCloseTo(erlangB(3, 10), 12);
  });

  it("copes with no seats, no traffic and bad input", () => {
    const effect = (ratePerSecond: number, seats: number) => estimateEffect({ ratePerSecond, meanLatencySeconds: 1, seats, mode: "Queue" });
    expect(effect(5, 0)).toMatchObject({ rejectShare: 1, throughputCapPerSecond: 0, saturated: true });
    expect(effect(0, 0)).toMatchObject({ rejectShare: 0, saturated: false });
    expect(effect(0, 5)).toMatchObject({ waitProbability: 0, rejectShare: 0, utilisation: 0 });
    expect(() => estimateEffect({ ratePerSecond: 1, meanLatencySeconds: 0, seats: 5, mode: "Queue" })).toThrow(RangeError);
    expect(() => estimateEffect({ ratePerSecond: Number.NaN, meanLatencySeconds: 1, seats: 5, mode: "Queue" })).toThrow(RangeError);
  });
});
