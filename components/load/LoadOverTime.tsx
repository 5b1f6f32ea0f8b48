"use client";
// Requests per second over time of the top groups plus "other", stacked; a click on a group filters by it, a drag
// zooms into that window, and the culprit's first request is marked.
import { useMemo } from "react";
import { EChart } from "@/components/charts/EChart";
import { CHART_THEMES } from "@/components/charts/theme";
import { buildTimeseriesOption } from "@/components/charts/timeseries-option";
import { useTheme } from "@/components/view/use-theme";
import type { TimeseriesAnswer } from "@/lib/audit/answers";
import { toTimeseriesData } from "@/lib/load/over-time";
import type { Marker } from "@/lib/panels/types";

export function LoadOverTime({ answer, markers, onPick, onZoom }: {
  answer: TimeseriesAnswer;
  markers: Marker[];
  onPick: (keys: string[]) => void;
  onZoom: (startMs: number, endMs: number) => void;
}) {
  const { theme } = useTheme();
  const option = useMemo(() => buildTimeseriesOption(toTimeseriesData(answer, markers), CHART_THEMES[theme]), [answer, markers, theme]);
  return (
    <EChart
      option={option}
      label="Requests per second by group"
      className="h-full"
      onZoom={onZoom}
      onSeriesClick={(i) => {
        const keys = answer.series[i]?.keys;
        if (keys) onPick(keys);
      }}
    />
  );
}
