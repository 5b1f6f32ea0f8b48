// Pure: panel data → ECharts option for a time series chart.
import { shorten } from "@/lib/escape";
import { bytesTickInterval, formatAxisTime, formatUtc, formatValue, UNIT_LABEL } from "@/lib/format";
import { timeTicks } from "@/lib/panels/time-axis";
import type { ChartSeries, TimeseriesData } from "@/lib/panels/types";
import type { ChartTheme } from "./theme";
import { tooltipHtml } from "./tooltip";

/**
 * The legend's line box. zrender sizes a text by measuring "国", which is narrower than the glyphs with many
 * fonts, and a paged legend clips its items to that size: an explicit lineHeight (well above the font size) gives
 * every item a box that holds its ascenders and accents.
 */
export const LEGEND_FONT_SIZE = 12;
export const LEGEND_LINE_HEIGHT = 16;
const LEGEND_PADDING_Y = 4;
/** The legend sits at the bottom; the plot (and its axis labels) ends this far above it. */
export const LEGEND_HEIGHT = LEGEND_LINE_HEIGHT + 2 * LEGEND_PADDING_Y;
const LEGEND_GAP = 8;
/** Longer series names are shortened in the legend (the tooltip shows them whole). */
const LEGEND_MAX_CHARS = 40;

interface AxisParam {
  seriesName: string;
  color: string;
  value: [number, number | null];
  axisValue: number;
}

export function seriesColor(name: string, index: number, theme: ChartTheme): string {
  return theme.named[name] ?? theme.palette[index % theme.palette.length]!;
}

function lineStyle(role: ChartSeries["role"]): Record<string, unknown> {
  if (role === "limit") return { type: "dashed", width: 1.5 };
  if (role === "secondary") return { width: 1, type: "dotted" };
  if (role === "unstacked") return { width: 2.5 };
  return { width: 1.5 };
}

const maxValue = (data: TimeseriesData) =>
  data.series.reduce((m, s) => s.points.reduce((mm, [, v]) => (v !== null && v > mm ? v : mm), m), 0);

export function buildTimeseriesOption(data: TimeseriesData, theme: ChartTheme): Record<string, unknown> {
  const range = data.endMs - data.startMs;
  const ticks = timeTicks(data.startMs, data.endMs);
  let colorIndex = 0;
  const series: Array<Record<string, unknown>> = data.series.map((s) => {
    const isLimit = s.role === "limit";
    // Limits and `unstacked` series are drawn at their own level, in front of the stack.
    const inStack = data.stacked && !isLimit && s.role !== "unstacked";
    const color = isLimit ? theme.limit : seriesColor(s.name, colorIndex++, theme);
    return {
      type: "line",
      name: s.name,
      data: s.points,
      showSymbol: false,
      connectNulls: false,
      color,
      stack: inStack ? "total" : undefined,
      areaStyle: inStack ? { opacity: 0.35 } : undefined,
      lineStyle: lineStyle(s.role),
      z: inStack ? undefined : 3,
      emphasis: { focus: "series" },
      triggerLineEvent: true,
    };
  });
  if (data.thresholds.length > 0) {
    series.push({
      type: "line",
      name: "limits",
      data: [],
      color: theme.limit,
      markLine: {
        silent: true,
        symbol: "none",
        lineStyle: { color: theme.limit, type: "dashed" },
        label: { color: theme.mutedText, formatter: "{b}", position: "insideEndTop" },
        data: data.thresholds.map((t) => ({ name: t.name, yAxis: t.value })),
      },
    });
  }
  if (data.markers && data.markers.length > 0) {
    series.push({
      type: "line",
      name: "markers",
      data: [],
      markLine: {
        silent: true,
        symbol: "none",
        lineStyle: { color: theme.mutedText, type: "dashed" },
        label: { color: theme.mutedText, formatter: "{b}", position: "insideStartTop", rotate: 0, align: "left" },
        data: data.markers.map((m) => ({ name: m.name, xAxis: m.atMs })),
      },
    });
  }
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 24, bottom: LEGEND_HEIGHT + LEGEND_GAP, containLabel: true },
    legend: {
      type: "scroll",
      bottom: 0,
      padding: [LEGEND_PADDING_Y, 8],
      icon: "roundRect",
      itemWidth: 10,
      itemHeight: 4,
      // No fixed text width: with a lineHeight it would make every item that wide.
      formatter: (name: string) => shorten(name, LEGEND_MAX_CHARS),
      textStyle: { color: theme.text, fontSize: LEGEND_FONT_SIZE, lineHeight: LEGEND_LINE_HEIGHT },
      pageTextStyle: { color: theme.mutedText },
      data: data.series.map((s) => s.name),
    },
    tooltip: {
      trigger: "axis",
      confine: true,
      backgroundColor: theme.tooltipBg,
      borderColor: theme.tooltipBorder,
      textStyle: { color: theme.text },
      formatter: (params: AxisParam[]) => {
        const first = params[0];
        if (!first) return "";
        const rows = [...params]
          .filter((p) => p.value[1] !== null)
          .sort((a, b) => (b.value[1] ?? 0) - (a.value[1] ?? 0))
          .map((p) => ({ color: p.color, name: p.seriesName, value: formatValue(p.value[1], data.unit) }));
        return tooltipHtml(`${formatUtc(first.axisValue)} UTC`, rows);
      },
    },
    xAxis: {
      type: "time",
      min: data.startMs,
      max: data.endMs,
      axisLine: { lineStyle: { color: theme.axisLine } },
      // The shared ticks, not ECharts' own: the heatmap draws the same ones for the same window.
      axisTick: { customValues: ticks },
      axisLabel: { color: theme.mutedText, hideOverlap: true, customValues: ticks, formatter: (v: number) => formatAxisTime(v, range) },
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      min: 0,
      max: data.unit === "ratio" ? (v: { max: number }) => Math.max(1, v.max) : undefined,
      interval: data.unit === "bytes" ? bytesTickInterval(maxValue(data)) : undefined,
      // Tick labels carry their unit (12/s, 250ms, 1.2 GiB, 40%); plain numbers get an axis name.
      name: data.unit === "count" || data.unit === "cores" ? UNIT_LABEL[data.unit] : undefined,
      nameTextStyle: { color: theme.mutedText, align: "left" },
      axisLabel: { color: theme.mutedText, formatter: (v: number) => formatValue(v, data.unit) },
      splitLine: { lineStyle: { color: theme.gridLine } },
    },
    series,
  };
}
