import { describe, expect, it } from "vitest";
import type { RangePlan } from "../prometheus/step";
import type { PanelDef } from "./panel-def";
import { keepBusiest, MAX_SERIES_SHOWN, shapeBars, shapeTimeseries } from "./shape";
import type { ChartSeries } from "./types";

const plan: RangePlan = { startSeconds: 1000, endSeconds: 4600, stepSeconds: 60, rateWindowSeconds: 120 };
const panel = (unit: PanelDef["unit"]): PanelDef => ({
  id: "test",
  title: "Test",
  description: "",
  unit,
  coverage: () => null,
  emptyMessage: () => "",
  build: () => ({ kind: "range", promql: "q", legend: () => "" }),
});
const series = (name: string, peak: number, role?: ChartSeries["role"]): ChartSeries => ({ name, points: [[1000_000, 0], [1060_000, peak]], ...(role ? { role } : {}) });

describe("panel shaping", () => {
  it("keeps the busiest series, ordered by name, plus every limit line", () => {
    const many = Array.from({ length: 20 }, (_, i) => series(`s${String(i).padStart(2, "0")}`, i));
    const { kept, total } = keepBusiest([...many, series("limit", 5, "limit"), { name: "gaps", points: [[1, null]] }], MAX_SERIES_SHOWN);
    expect(total).toBe(20);
    expect(kept.map((s) => s.name)).toEqual([...Array.from({ length: 12 }, (_, i) => `s${String(i + 8).padStart(2, "0")}`), "limit"]);
  });
  it("turns a range result into named series on the planned axis", () => {
    const def = panel("reqps");
    const query = { kind: "range" as const, promql: "q", legend: (l: Record<string, string>) => l.code_class || "other", stacked: true };
    const data = shapeTimeseries(
      def,
      query,
      [
        { labels: { code_class: "2xx" }, points: [[1000_000, 5]] },
        { labels: { code_class: "429" }, points: [[1000_000, 2]] },
        { labels: {}, points: [[1000_000, 1]] },
      ],
      plan,
      "none",
    );
    expect(data.series.map((s) => s.name)).toEqual(["2xx", "429", "other"]);
    expect(data).toMatchObject({ startMs: 1000_000, endMs: 4600_000, stepMs: 60_000, stacked: true, unit: "reqps", note: undefined });
  });
  it("sorts bars biggest first and drops NaN results", () => {
    const def = panel("count");
    const query = { kind: "instant" as const, promql: "q", legend: (l: Record<string, string>) => l.resource ?? "?" };
    const data = shapeBars(
      def,
      query,
      [
        { labels: { resource: "nodes" }, timeMs: 0, value: 300 },
        { labels: { resource: "pods" }, timeMs: 0, value: 9000 },
        { labels: { resource: "broken" }, timeMs: 0, value: null },
      ],
      plan,
      "none",
    );
    expect(data.bars).toEqual([{ name: "pods", value: 9000 }, { name: "nodes", value: 300 }]);
    expect(data).toMatchObject({ atMs: 4600_000, windowSeconds: 3600 });
  });
});
