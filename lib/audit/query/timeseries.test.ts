import { describe, expect, it } from "vitest";
import { toGroupSeries } from "./timeseries";

const q = { window: { fromMs: 30_000, toMs: 200_000 }, groupBy: ["client" as const], filters: {}, top: 1, bucketSeconds: 60 };
const row = (client: string, t: number, requests: number) => ({ client, t, requests });

describe("requests over time per group", () => {
  it("fills empty buckets with 0, keeps the top groups and sums the rest as other", () => {
    const series = toGroupSeries([row("a", 60_000, 600), row("b", 60_000, 60), row("c", 120_000, 60)], q);
    expect(series.map((s) => [s.keys, s.requests])).toEqual([
      [["a"], 600],
      [null, 120],
    ]);
    expect(series[0]!.points.map(([t]) => t)).toEqual([0, 60_000, 120_000, 180_000]);
    expect(series[0]!.points[1]).toEqual([60_000, 10]);
    expect(series[1]!.points.map(([, v]) => v)).toEqual([0, 1, 1, 0]);
  });

  it("gives the buckets cut by the window's edges the rate over their part inside it", () => {
    // [0, 60 s) holds 30 s of the window, [180 s, 240 s) 20 s.
    const [s] = toGroupSeries([row("a", 0, 300), row("a", 60_000, 600), row("a", 180_000, 200)], q);
    expect(s!.points).toEqual([
      [0, 10],
      [60_000, 10],
      [120_000, 0],
      [180_000, 10],
    ]);
  });
});
