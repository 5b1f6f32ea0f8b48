"use client";
// Requests per second over time of the top groups plus "other", stacked; a click on a group filters by it, a drag
// zooms into that window, and the culprit's first request is marked.
import { useMemo } from "react";
import { EChart } from "@/components/charts/EChart";
import { CHART_THEMES } from "@/components/charts/theme";
import { buildTimeseriesOption } from "@/components/charts/timeseries-option";
import { useTheme } from "@/components/view/use-theme";
import type { TimeseriesAnswer } from "@/lib/audit/query/run";
import { OTHER_LABEL } from "@/lib/load/breakdown-table";
import type { Marker, TimeseriesData } from "@/lib/overview/types";

export function seriesName(keys: string[] | null): string {
  return keys === null ? OTHER_LABEL : keys.map((k) => k || "(none)").join(" · ");
}

export function toTimeseriesData(answer: TimeseriesAnswer, markers: Marker[]): TimeseriesData {
  return {
    status: "ok",
    kind: "timeseries",
    promql: "",
    unit: "reqps",
    emptyMessage: "",
    stacked: true,
    series: answer.series.map((s) => ({ name: seriesName(s.keys), points: s.points })),
    thresholds: [],
    markers: markers.filter((m) => m.atMs >= answer.startMs && m.atMs <= answer.endMs),
    startMs: answer.startMs,
    endMs: answer.endMs,
    stepMs: answer.bucketSeconds * 1000,
  };
}

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
