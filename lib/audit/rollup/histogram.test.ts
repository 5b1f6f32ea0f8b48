import { describe, expect, it } from "vitest";
import { bucketLower, bucketUpper, HISTOGRAM_BUCKETS, histogramQuantile, histogramSeconds } from "./histogram";

const histogramOf = (latencies: number[]) => {
  const counts = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  for (const l of latencies) {
    const i = Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.ceil(2 * Math.log2(Math.max(l * 1e6, 1) / 250))));
    counts[i]!++;
  }
  return counts;
};

describe("latency histogram", () => {
  it("has contiguous buckets, √2 apart, from 250 µs to an open end", () => {
    expect(bucketUpper(0)).toBeCloseTo(0.00025, 12);
    expect(bucketUpper(2)).toBeCloseTo(0.0005, 12);
    expect(bucketUpper(HISTOGRAM_BUCKETS - 2)).toBeGreaterThan(120); // beyond the API server's 60 s request timeout
    expect(bucketUpper(HISTOGRAM_BUCKETS - 1)).toBe(Infinity);
    for (let i = 1; i < HISTOGRAM_BUCKETS; i++) expect(bucketLower(i)).toBe(bucketUpper(i - 1));
  });
  it("estimates quantiles within one bucket of the truth", () => {
    const latencies = Array.from({ length: 10_000 }, (_, i) => 0.001 * 1.0007 ** i); // 1 ms … ~1.1 s
    const sorted = [...latencies].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const truth = sorted[Math.floor(q * sorted.length) - 1]!;
      const estimate = histogramQuantile(q, histogramOf(latencies))!;
      expect(estimate / truth).toBeGreaterThan(1 / Math.SQRT2);
      expect(estimate / truth).toBeLessThan(Math.SQRT2);
    }
  });
  it("is empty without observations and reports the lower bound of the open-ended bucket", () => {
    expect(histogramQuantile(0.99, new Array(HISTOGRAM_BUCKETS).fill(0))).toBeNull();
    const overflow = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
    overflow[HISTOGRAM_BUCKETS - 1] = 5;
    expect(histogramQuantile(0.5, overflow)).toBe(bucketLower(HISTOGRAM_BUCKETS - 1));
  });
  it("estimates the total time of its requests within a factor √2", () => {
    const latencies = Array.from({ length: 5_000 }, (_, i) => 0.0003 * 1.002 ** i); // 0.3 ms … ~6.6 s
    const truth = latencies.reduce((a, b) => a + b, 0);
    const estimate = histogramSeconds(histogramOf(latencies));
    expect(estimate / truth).toBeGreaterThan(1 / Math.SQRT2);
    expect(estimate / truth).toBeLessThan(Math.SQRT2);
    expect(histogramSeconds(new Array(HISTOGRAM_BUCKETS).fill(0))).toBe(0);
  });
});
