// Pure: panel data → ECharts option for a time series chart.
import { bytesTickInterval, formatAxisTime, formatUtc, formatValue, UNIT_LABEL } from "@/lib/format";
import type { TimeseriesData } from "@/lib/overview/types";
import { NAMED_COLORS, type ChartTheme } from "./theme";
import { tooltipHtml } from "./tooltip";

interface AxisParam {
  seriesName: string;
  color: string;
  value: [number, number | null];
  axisValue: number;
}

export function seriesColor(name: string, index: number, theme: ChartTheme): string {
  return NAMED_COLORS[name] ?? theme.palette[index % theme.palette.length]!;
}

const maxValue = (data: TimeseriesData) =>
  data.series.reduce((m, s) => s.points.reduce((mm, [, v]) => (v !== null && v > mm ? v : mm), m), 0);

export function buildTimeseriesOption(data: TimeseriesData, theme: ChartTheme): Record<string, unknown> {
  const range = data.endMs - data.startMs;
  let colorIndex = 0;
  const series: Array<Record<string, unknown>> = data.series.map((s) => {
    const isLimit = s.role === "limit";
    const color = isLimit ? theme.limit : seriesColor(s.name, colorIndex++, theme);
    return {
      type: "line",
      name: s.name,
      data: s.points,
      showSymbol: false,
      connectNulls: false,
      color,
      stack: data.stacked && !isLimit ? "total" : undefined,
      areaStyle: data.stacked && !isLimit ? { opacity: 0.35 } : undefined,
      lineStyle: isLimit ? { type: "dashed", width: 1.5 } : s.role === "secondary" ? { width: 1, type: "dotted" } : { width: 1.5 },
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
    grid: { left: 8, right: 16, top: 24, bottom: 30, containLabel: true },
    legend: {
      type: "scroll",
      bottom: 0,
      icon: "roundRect",
      itemWidth: 10,
      itemHeight: 4,
      textStyle: { color: theme.text, overflow: "truncate", width: 220 },
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
      axisLabel: { color: theme.mutedText, hideOverlap: true, formatter: (v: number) => formatAxisTime(v, range) },
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
