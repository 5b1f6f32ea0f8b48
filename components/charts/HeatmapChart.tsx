"use client";
// A latency heatmap in SVG: one column per step, one row per histogram bucket, colour by count (log scale), with
// the p50 and p99 lines drawn through the same rows. Hover shows a cell's bucket and count.
import { useMemo } from "react";
import { formatAxisTime, formatSeconds, formatUtc } from "@/lib/format";
import type { HeatmapData } from "@/lib/overview/types";
import { heatmapCells, latencyY } from "@/lib/webhooks/heatmap-layout";
import type { ChartTheme } from "./theme";

const AXIS_LEFT = 48;
const AXIS_BOTTOM = 18;
const LINE_COLORS = ["#38bdf8", "#f97316"];

const bucketLabel = (uppers: HeatmapData["uppers"], b: number) => {
  const upper = uppers[b];
  const lower = b === 0 ? 0 : (uppers[b - 1] ?? 0);
  return upper === null || upper === undefined ? `> ${formatSeconds(lower)}` : `${formatSeconds(lower)}–${formatSeconds(upper)}`;
};

export function HeatmapChart({ data, width, height, theme, label }: { data: HeatmapData; width: number; height: number; theme: ChartTheme; label: string }) {
  const w = Math.max(0, width - AXIS_LEFT - 8);
  const h = Math.max(0, height - AXIS_BOTTOM - 4);
  const cells = useMemo(() => heatmapCells(data.times, data.counts, data.uppers.length, w, h), [data, w, h]);
  const x = (t: number) => AXIS_LEFT + ((t - data.times[0]! + data.stepMs) / (data.times.length * data.stepMs)) * w;
  const range = data.endMs - data.startMs;
  const ticks = data.times.filter((_, i) => i % Math.max(1, Math.ceil(data.times.length / 6)) === 0);
  return (
    <svg width={width} height={height} role="img" aria-label={label} data-testid="heatmap">
      {data.uppers.map((_, b) => (
        <text key={b} x={AXIS_LEFT - 4} y={4 + h - (b + 0.5) * (h / data.uppers.length)} fontSize={10} fill={theme.mutedText} textAnchor="end" dominantBaseline="middle">
          {data.uppers[b] === null ? "+Inf" : formatSeconds(data.uppers[b]!)}
        </text>
      ))}
      <g transform="translate(0,4)">
        {cells.map((c) => (
          <rect key={`${c.timeMs}:${c.bucket}`} x={AXIS_LEFT + c.x} y={c.y} width={Math.max(1, c.w - 0.5)} height={Math.max(1, c.h - 0.5)} fill="#ef4444" fillOpacity={0.12 + 0.88 * c.intensity}>
            <title>{`${formatUtc(c.timeMs)} UTC · ${bucketLabel(data.uppers, c.bucket)}: ${c.count.toLocaleString("en-US")} calls`}</title>
          </rect>
        ))}
        {data.quantiles.map((q, i) => {
          const points = q.points
            .map(([t, v]) => [x(t) - w / data.times.length / 2, latencyY(v, data.uppers, h)] as const)
            .filter((p): p is readonly [number, number] => p[1] !== null)
            .map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`)
            .join(" ");
          return (
            <g key={q.name}>
              <polyline points={points} fill="none" stroke={LINE_COLORS[i % LINE_COLORS.length]} strokeWidth={1.5} />
              <text x={AXIS_LEFT + 4 + i * 36} y={10} fontSize={10} fill={LINE_COLORS[i % LINE_COLORS.length]}>
                {q.name}
              </text>
            </g>
          );
        })}
      </g>
      {ticks.map((t) => (
        <text key={t} x={x(t)} y={height - 4} fontSize={10} fill={theme.mutedText} textAnchor="middle">
          {formatAxisTime(t, range)}
        </text>
      ))}
    </svg>
  );
}
