import { describe, expect, it } from "vitest";
import type { BarData, TimeseriesData } from "@/lib/overview/types";
import { buildBarOption } from "./bar-option";
import { CHART_THEMES } from "./theme";
import { buildTimeseriesOption } from "./timeseries-option";

const HOSTILE = '<img src=x onerror=alert(1)>"&';
const ts: TimeseriesData = {
  status: "ok",
  kind: "timeseries",
  promql: "q",
  unit: "reqps",
  emptyMessage: "",
  stacked: true,
  series: [
    { name: HOSTILE, points: [[1000, 3], [2000, null]] },
    { name: "429", points: [[1000, 1], [2000, 2]] },
    { name: "limit", points: [[1000, 9], [2000, 9]], role: "limit" },
  ],
  thresholds: [{ name: "max-requests-inflight", value: 400 }],
  startMs: 1000,
  endMs: 2000,
  stepMs: 1000,
};

type Fmt = (p: unknown) => string;

describe("chart options", () => {
  it("escape series names in tooltips", () => {
    const option = buildTimeseriesOption(ts, CHART_THEMES.dark) as { tooltip: { formatter: Fmt } };
    const html = option.tooltip.formatter([{ seriesName: HOSTILE, color: "#fff", value: [1000, 3], axisValue: 1000 }]);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&amp;");
    expect(html).toContain("3/s");
    // A colour is never taken from data unchecked.
    const sneaky = option.tooltip.formatter([{ seriesName: "a", color: "red;background:url(x)", value: [1000, 1], axisValue: 1000 }]);
    expect(sneaky).not.toContain("url(x)");
  });
  it("stack data series, keep limits dashed and unstacked, pin the x axis to the window", () => {
    const option = buildTimeseriesOption(ts, CHART_THEMES.light) as { series: Array<Record<string, unknown>>; xAxis: { min: number; max: number } };
    expect(option.series[0]).toMatchObject({ stack: "total" });
    expect(option.series[1]).toMatchObject({ name: "429", color: "#ff7a1a" });
    expect(option.series[2]).toMatchObject({ stack: undefined, lineStyle: { type: "dashed" } });
    expect(option.series[3]).toMatchObject({ markLine: { data: [{ name: "max-requests-inflight", yAxis: 400 }] } });
    expect(option.xAxis).toMatchObject({ min: 1000, max: 2000 });
  });
  it("put units on the value axis", () => {
    const option = buildTimeseriesOption({ ...ts, unit: "seconds" }, CHART_THEMES.dark) as { yAxis: { axisLabel: { formatter: (v: number) => string } } };
    expect(option.yAxis.axisLabel.formatter(0.25)).toBe("250ms");
  });
  it("draw bars biggest on top and escape their tooltips", () => {
    const bars: BarData = { status: "ok", kind: "bar", promql: "q", unit: "count", emptyMessage: "", bars: [{ name: "pods", value: 9000 }, { name: HOSTILE, value: 3 }], atMs: 0, windowSeconds: 60 };
    const option = buildBarOption(bars, CHART_THEMES.dark) as { yAxis: { data: string[] }; tooltip: { formatter: Fmt } };
    expect(option.yAxis.data).toEqual([HOSTILE, "pods"]);
    expect(option.tooltip.formatter({ name: HOSTILE, color: "#fff", value: 3 })).not.toContain("<img");
  });
});
