import { describe, expect, it } from "vitest";
import { seriesName, toTimeseriesData } from "./over-time";

describe("requests over time as a chart", () => {
  it("names each series by its group's keys, other for the rest, and keeps only markers inside the window", () => {
    const data = toTimeseriesData(
      {
        groupBy: ["client", "namespace"],
        bucketSeconds: 30,
        startMs: 1000,
        endMs: 61_000,
        series: [
          { keys: ["agent", ""], points: [[0, 2], [30_000, 4]], requests: 180 },
          { keys: null, points: [[0, 1], [30_000, 0]], requests: 30 },
        ],
      },
      [
        { name: "first request of agent", atMs: 20_000 },
        { name: "before", atMs: 500 },
      ],
    );
    expect(data.series.map((s) => s.name)).toEqual(["agent · (none)", "other"]);
    expect(data.series[0]!.points).toEqual([[0, 2], [30_000, 4]]);
    expect(data.markers).toEqual([{ name: "first request of agent", atMs: 20_000 }]);
    expect({ stacked: data.stacked, unit: data.unit, stepMs: data.stepMs }).toEqual({ stacked: true, unit: "reqps", stepMs: 30_000 });
    expect(seriesName(["<b>x</b>"])).toBe("<b>x</b>"); // escaped where drawn (tooltips), not here
  });
});
