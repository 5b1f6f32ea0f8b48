import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { formatAxisTime } from "@/lib/format";
import type { BarData, HeatmapData, TimeseriesData } from "@/lib/panels/types";
import { buildBarOption } from "./bar-option";
import { HeatmapChart } from "./HeatmapChart";
import { CHART_THEMES, type ChartTheme, type ThemeName } from "./theme";
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
type Option = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- ECharts options are untyped here
const THEMES = Object.keys(CHART_THEMES) as ThemeName[];

// Colour science for the colour checks: sRGB → CIELAB, CIEDE2000, colour-blindness simulation (Machado et al. 2009,
// severity 1) and WCAG contrast. Written out here so the checks depend on nothing but the theme's hex values.
type Rgb = [number, number, number];
const linear = (hex: string): Rgb =>
  [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
const MACHADO: Record<"deuteranopia" | "protanopia", number[][]> = {
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
};
const simulate = (rgb: Rgb, m?: number[][]): Rgb => (m ? (m.map((r) => r[0]! * rgb[0] + r[1]! * rgb[1] + r[2]! * rgb[2]) as Rgb) : rgb);
function lab([r, g, b]: Rgb): Rgb {
  const [R, G, B] = [r, g, b].map((v) => Math.min(1, Math.max(0, v))) as Rgb;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const X = f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047);
  const Y = f(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const Z = f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883);
  return [116 * Y - 16, 500 * (X - Y), 200 * (Y - Z)];
}
function ciede2000([L1, a1, b1]: Rgb, [L2, a2, b2]: Rgb): number {
  const rad = Math.PI / 180;
  const Cbar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)));
  const [A1, A2] = [a1 * (1 + G), a2 * (1 + G)];
  const [C1, C2] = [Math.hypot(A1, b1), Math.hypot(A2, b2)];
  const hue = (b: number, a: number) => (a === 0 && b === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360);
  const [h1, h2] = [hue(b1, A1), hue(b2, A2)];
  let dh = C1 * C2 === 0 ? 0 : h2 - h1;
  if (dh > 180) dh -= 360;
  else if (dh < -180) dh += 360;
  const dH = 2 * Math.sqrt(C1 * C2) * Math.sin((dh * rad) / 2);
  const [Lb, Cb] = [(L1 + L2) / 2, (C1 + C2) / 2];
  let hb = h1 + h2;
  if (C1 * C2 !== 0) hb = (Math.abs(h1 - h2) > 180 ? (hb < 360 ? hb + 360 : hb - 360) : hb) / 2;
  const T = 1 - 0.17 * Math.cos((hb - 30) * rad) + 0.24 * Math.cos(2 * hb * rad) + 0.32 * Math.cos((3 * hb + 6) * rad) - 0.2 * Math.cos((4 * hb - 63) * rad);
  const RC = 2 * Math.sqrt(Cb ** 7 / (Cb ** 7 + 25 ** 7));
  const RT = -Math.sin(2 * 30 * Math.exp(-(((hb - 275) / 25) ** 2)) * rad) * RC;
  const SL = 1 + (0.015 * (Lb - 50) ** 2) / Math.sqrt(20 + (Lb - 50) ** 2);
  const [SC, SH] = [1 + 0.045 * Cb, 1 + 0.015 * Cb * T];
  return Math.sqrt(((L2 - L1) / SL) ** 2 + ((C2 - C1) / SC) ** 2 + (dH / SH) ** 2 + RT * ((C2 - C1) / SC) * (dH / SH));
}
const distance = (a: string, b: string, vision?: keyof typeof MACHADO) =>
  ciede2000(lab(simulate(linear(a), vision && MACHADO[vision])), lab(simulate(linear(b), vision && MACHADO[vision])));
const luminance = (hex: string) => {
  const [r, g, b] = linear(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

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
    expect(option.series[1]).toMatchObject({ name: "429", color: CHART_THEMES.light.named["429"] });
    expect(option.series[2]).toMatchObject({ stack: undefined, lineStyle: { type: "dashed" } });
    expect(option.series[3]).toMatchObject({ markLine: { data: [{ name: "max-requests-inflight", yAxis: 400 }] } });
    expect(option.xAxis).toMatchObject({ min: 1000, max: 2000 });
  });
  it("draw an unstacked series at its own level, bold and in front of the stack", () => {
    const codes: TimeseriesData = {
      ...ts,
      thresholds: [],
      series: [
        { name: "429", points: [[1000, 40]] },
        { name: "2xx", points: [[1000, 500]] },
        { name: "5xx", points: [[1000, 3]], role: "unstacked" },
      ],
    };
    const [throttled, ok, errors] = (buildTimeseriesOption(codes, CHART_THEMES.dark) as Option).series as Option[];
    expect([throttled!.stack, ok!.stack]).toEqual(["total", "total"]);
    expect(errors).toMatchObject({ stack: undefined, areaStyle: undefined });
    expect(errors!.lineStyle.width).toBeGreaterThan(ok!.lineStyle.width);
    expect(errors!.z).toBeGreaterThan(0);
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

describe("legend", () => {
  const option = buildTimeseriesOption(ts, CHART_THEMES.dark) as Option;
  const legend = option.legend as Option;
  it("gives each item a line box taller than its font, so a paged legend does not clip its text", () => {
    expect(legend.type).toBe("scroll");
    // ECharts clips a paged legend to its items' boxes; without a lineHeight a box is as tall as "国" is wide.
    expect(legend.textStyle.lineHeight).toBeGreaterThanOrEqual(1.25 * legend.textStyle.fontSize);
    // A fixed text width would make every item that wide; long names are shortened instead.
    expect(legend.textStyle.width).toBeUndefined();
    expect(legend.formatter("x".repeat(500)).length).toBeLessThanOrEqual(40);
    expect(legend.formatter("LIST pods p99")).toBe("LIST pods p99");
  });
  it("leaves the plot and its axis labels clear of the legend", () => {
    const [padY] = legend.padding as [number, number]; // [vertical, horizontal]
    expect(legend.bottom).toBe(0);
    expect(option.grid.bottom).toBeGreaterThan(legend.textStyle.lineHeight + 2 * padY);
  });
});

describe("response-code colours", () => {
  const alarms = (t: ChartTheme) => [t.named["429"]!, t.named["5xx"]!] as const;
  it.each(THEMES)("tell 429 (throttled) from 5xx (server errors) at a glance in the %s theme, with colour blindness too", (name) => {
    const [throttled, errors] = alarms(CHART_THEMES[name]);
    // CIEDE2000 ≥ 40 is far apart for anyone; ≥ 20 keeps them apart for deuteranopes and protanopes.
    expect(distance(throttled, errors)).toBeGreaterThanOrEqual(40);
    expect(distance(throttled, errors, "deuteranopia")).toBeGreaterThanOrEqual(20);
    expect(distance(throttled, errors, "protanopia")).toBeGreaterThanOrEqual(20);
  });
  it.each(THEMES)("stand out against the %s background (WCAG 3:1 for graphics)", (name) => {
    const t = CHART_THEMES[name];
    for (const c of alarms(t)) expect(contrast(c, t.background), c).toBeGreaterThanOrEqual(3);
  });
  it.each(THEMES)("are never borrowed by series without a meaning in the %s theme", (name) => {
    const t = CHART_THEMES[name];
    for (const c of t.palette) for (const alarm of alarms(t)) expect(distance(c, alarm), `${c} vs ${alarm}`).toBeGreaterThanOrEqual(20);
    // Every code class has its own colour, and 4xx is not another shade of 429.
    const classes = ["1xx", "2xx", "3xx", "4xx", "429", "5xx"].map((k) => t.named[k]);
    expect(new Set(classes).size).toBe(classes.length);
    expect(distance(t.named["4xx"]!, t.named["429"]!)).toBeGreaterThanOrEqual(40);
  });
});

describe("time axis", () => {
  // 10:03–11:03 UTC, one-minute steps.
  const startMs = Date.UTC(2026, 0, 5, 10, 3);
  const endMs = startMs + 3600_000;
  const stepMs = 60_000;
  const times = Array.from({ length: 61 }, (_, i) => startMs + i * stepMs);
  const heatmap: HeatmapData = {
    status: "ok",
    kind: "heatmap",
    promql: "q",
    unit: "seconds",
    emptyMessage: "",
    times,
    uppers: [0.1, 1, null],
    counts: times.map(() => [5, 1, 0]),
    quantiles: [{ name: "p99", points: times.map((t) => [t, 0.5] as [number, number | null]) }],
    startMs,
    endMs,
    stepMs,
  };
  const line: TimeseriesData = { ...ts, stacked: false, thresholds: [], series: [{ name: "p99", points: times.map((t) => [t, 0.5]) }], startMs, endMs, stepMs };

  it("gives the heatmap the same ticks as the line charts for the same window, at the same share of the width", () => {
    const x = (buildTimeseriesOption(line, CHART_THEMES.dark) as Option).xAxis;
    const lineTicks: number[] = x.axisLabel.customValues;
    expect(x.axisTick.customValues).toEqual(lineTicks);
    expect(lineTicks.map((t) => formatAxisTime(t, endMs - startMs))).toEqual(["10:10", "10:20", "10:30", "10:40", "10:50", "11:00"]);

    const width = 648; // 48 px of bucket labels, 8 px margin: a 592 px plot
    const svg = renderToStaticMarkup(createElement(HeatmapChart, { data: heatmap, width, height: 200, theme: CHART_THEMES.dark, label: "h" }));
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="196"[^>]*>([^<]+)<\/text>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(labels.map(([, text]) => text)).toEqual(lineTicks.map((t) => formatAxisTime(t, endMs - startMs)));
    // Each tick at its time's share of the window, as on a line chart's time axis.
    labels.forEach(([px], i) => expect(px).toBeCloseTo(48 + ((lineTicks[i]! - startMs) / (endMs - startMs)) * 592, 6));
    // The quantile line's points (and the columns' centres) sit at their times too: the first at the left edge.
    const points = /<polyline points="([^"]+)"/.exec(svg)![1]!.split(" ").map((p) => Number(p.split(",")[0]));
    expect(points[0]).toBeCloseTo(48, 6);
    expect(points.at(-1)).toBeCloseTo(48 + 592, 6);
    expect(points[30]).toBeCloseTo(48 + 592 / 2, 6);
  });
});
