// Requests over time per group (the audit API's answer) as the chart's time series: one series per group,
// "other" last, and markers (a rollout) only when inside the window.
import type { TimeseriesAnswer } from "../audit/answers";
import type { Marker, TimeseriesData } from "../panels/types";
import { OTHER_LABEL } from "./breakdown-table";

export function seriesName(keys: string[] | null): string {
  return keys === null ? OTHER_LABEL : keys.map((k) => k || "(none)").join(" · ");
}

export function toTimeseriesData(answer: TimeseriesAnswer, markers: readonly Marker[]): TimeseriesData {
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
