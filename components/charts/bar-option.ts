// Pure: bar panel data → ECharts option for a horizontal bar chart (biggest on top).
import { formatValue, UNIT_LABEL } from "@/lib/format";
import { shorten } from "@/lib/escape";
import type { BarData } from "@/lib/panels/types";
import type { ChartTheme } from "./theme";
import { tooltipHtml } from "./tooltip";

interface ItemParam {
  name: string;
  color: string;
  value: number;
}

export function buildBarOption(data: BarData, theme: ChartTheme): Record<string, unknown> {
  const bars = [...data.bars].reverse(); // ECharts draws category axes bottom-up
  return {
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "item",
      confine: true,
      backgroundColor: theme.tooltipBg,
      borderColor: theme.tooltipBorder,
      textStyle: { color: theme.text },
      formatter: (p: ItemParam) => tooltipHtml(p.name, [{ color: p.color, name: UNIT_LABEL[data.unit], value: formatValue(p.value, data.unit) }]),
    },
    xAxis: {
      type: "value",
      axisLabel: { color: theme.mutedText, hideOverlap: true, formatter: (v: number) => formatValue(v, data.unit) },
      splitLine: { lineStyle: { color: theme.gridLine } },
    },
    yAxis: {
      type: "category",
      data: bars.map((b) => b.name),
      axisLine: { lineStyle: { color: theme.axisLine } },
      axisLabel: { color: theme.text, formatter: (v: string) => shorten(v, 40) },
    },
    series: [
      {
        type: "bar",
        data: bars.map((b) => b.value),
        color: theme.palette[0],
        barMaxWidth: 18,
        label: { show: true, position: "right", color: theme.mutedText, formatter: (p: { value: number }) => formatValue(p.value, data.unit) },
      },
    ],
  };
}
