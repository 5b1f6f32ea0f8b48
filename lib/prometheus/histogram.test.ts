import { describe, expect, it } from "vitest";
import { counterIncreases, heatmapFromBuckets, quantile, quantilesOverTime } from "./histogram";

// apiserver_admission_webhook_admission_duration_seconds buckets.
const LES = ["0.005", "0.025", "0.1", "0.5", "1", "2.5", "10", "25", "+Inf"];

/** Cumulative bucket counters of one API server from per-step observations (seconds). */
function counters(steps: number[][], base = 0): Array<{ le: string; points: Array<[number, number]> }> {
  return LES.map((le) => {
    const bound = le === "+Inf" ? Infinity : Number(le);
    let total = base;
    return { le, points: [[0, base] as [number, number], ...steps.map((obs, i) => [(i + 1) * 60_000, (total += obs.filter((o) => o <= bound).length)] as [number, number])] };
  });
}

describe("histograms from raw bucket counters", () => {
  it("takes a drop in a counter as a reset: the new value is the increase", () => {
    expect(counterIncreases([[0, 10], [1, 15], [2, 3], [3, 7]])).toEqual([[1, 5], [2, 3], [3, 4]]);
    expect(counterIncreases([[0, 4]])).toEqual([]);
  });

  it("turns cumulative buckets into per-bucket counts per step, summed over API servers", () => {
    const a = counters([[0.003, 0.2, 0.2], [7]]);
    const b = counters([[30]], 100); // another API server, running for a while already
    const h = heatmapFromBuckets([...a, ...b]);
    expect(h.times).toEqual([60_000, 120_000]);
    expect(h.uppers.at(-1)).toBe(Infinity);
    expect(h.counts[0]).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 1]);
    expect(h.counts[1]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it("counts across an API server restart without losing or inventing requests", () => {
    const before = counters([[0.01, 0.01]]);
    const after = counters([[0.3]]);
    // The restarted server's counters start again from zero at the next sample.
    const restarted = before.map((s, i) => ({ le: s.le, points: [...s.points, [120_000, after[i]!.points[1]![1]] as [number, number]] }));
    const h = heatmapFromBuckets(restarted);
    expect(h.counts.map((row) => row.reduce((x, y) => x + y, 0))).toEqual([2, 1]);
    expect(h.counts[1]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it("has empty rows and no quantile for steps without requests, and ignores a bucket that lags behind", () => {
    const h = heatmapFromBuckets(counters([[], [0.05]]));
    expect(h.counts[0]).toEqual(new Array(LES.length).fill(0));
    expect(quantilesOverTime(h, 0.99)).toEqual([[60_000, null], [120_000, expect.closeTo(0.09925, 9)]]);
    const lagging = heatmapFromBuckets([{ le: "0.1", points: [[0, 0], [60_000, 5]] }, { le: "+Inf", points: [[0, 0], [60_000, 4]] }]);
    expect(lagging.counts[0]).toEqual([5, 0]);
  });

  it("computes quantiles as histogram_quantile does", () => {
    const uppers = [0.1, 0.5, 1, Infinity];
    expect(quantile(0.5, uppers, [50, 50, 0, 0])).toBeCloseTo(0.1, 12);
    expect(quantile(0.75, uppers, [50, 50, 0, 0])).toBeCloseTo(0.3, 12);
    expect(quantile(0.99, uppers, [0, 0, 0, 10])).toBe(1); // in +Inf: the largest finite bound
    expect(quantile(0.5, uppers, [0, 0, 0, 0])).toBeNull();
  });
});
