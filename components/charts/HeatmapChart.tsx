"use client";
// A latency heatmap in SVG: one column per step, one row per histogram bucket, colour by count (log scale), with
// the p50 and p99 lines drawn through the same rows. Hover shows a cell's bucket and count. Its time axis is the
// line charts': the same window edge to edge and the same ticks (lib/panels/time-axis).
import { useMemo } from "react";
import { formatAxisTime, formatSeconds, formatUtc } from "@/lib/format";
import { timeTicks, timeX } from "@/lib/panels/time-axis";
import type { HeatmapData } from "@/lib/panels/types";
import { heatmapCells, latencyY } from "@/lib/webhooks/heatmap-layout";
import type { ChartTheme } from "./theme";

const AXIS_LEFT = 48;
const AXIS_RIGHT = 8;
const AXIS_BOTTOM = 18;
const TOP = 4;
/** p99 solid and p50 dotted, as the latency line charts draw them. */
const QUANTILE_DASH: Record<string, string | undefined> = { p50: "2 3" };

const bucketLabel = (uppers: HeatmapData["uppers"], b: number) => {
  const upper = uppers[b];
  const lower = b === 0 ? 0 : (uppers[b - 1] ?? 0);
  return upper === null || upper === undefined ? `> ${formatSeconds(lower)}` : `${formatSeconds(lower)}–${formatSeconds(upper)}`;
};

export function HeatmapChart({ data, width, height, theme, label }: { data: HeatmapData; width: number; height: number; theme: ChartTheme; label: string }) {
  const w = Math.max(0, width - AXIS_LEFT - AXIS_RIGHT);
  const h = Math.max(0, height - AXIS_BOTTOM - TOP);
  const win = useMemo(() => ({ startMs: data.startMs, endMs: data.endMs, stepMs: data.stepMs }), [data]);
  const cells = useMemo(() => heatmapCells(data.times, data.counts, data.uppers.length, win, w, h), [data, win, w, h]);
  const x = (t: number) => AXIS_LEFT + timeX(t, data.startMs, data.endMs, w);
  const range = data.endMs - data.startMs;
  const ticks = timeTicks(data.startMs, data.endMs);
  return (
    <svg width={width} height={height} role="img" aria-label={label} data-testid="heatmap">
      {data.uppers.map((_, b) => (
        <text key={b} x={AXIS_LEFT - 4} y={TOP + h - (b + 0.5) * (h / data.uppers.length)} fontSize={10} fill={theme.mutedText} textAnchor="end" dominantBaseline="middle">
          {data.uppers[b] === null ? "+Inf" : formatSeconds(data.uppers[b]!)}
        </text>
      ))}
      <g transform={`translate(0,${TOP})`}>
        {cells.map((c) => (
          <rect key={`${c.timeMs}:${c.bucket}`} x={AXIS_LEFT + c.x} y={c.y} width={Math.max(1, c.w - 0.5)} height={Math.max(1, c.h - 0.5)} fill={theme.heat} fillOpacity={0.12 + 0.88 * c.intensity}>
            <title>{`${formatUtc(c.timeMs)} UTC · ${bucketLabel(data.uppers, c.bucket)}: ${c.count.toLocaleString("en-US")} calls`}</title>
          </rect>
        ))}
        {data.quantiles.map((q, i) => {
          // Each quantile at its step's time, where the line charts put the same point.
          const points = q.points
            .map(([t, v]) => [x(t), latencyY(v, data.uppers, h)] as const)
            .filter((p): p is readonly [number, number] => p[1] !== null)
            .map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`)
            .join(" ");
          return (
            <g key={q.name}>
              <polyline points={points} fill="none" stroke={theme.text} strokeWidth={1.5} strokeDasharray={QUANTILE_DASH[q.name]} />
              <line x1={AXIS_LEFT + 4 + i * 48} x2={AXIS_LEFT + 18 + i * 48} y1={7} y2={7} stroke={theme.text} strokeWidth={1.5} strokeDasharray={QUANTILE_DASH[q.name]} />
              <text x={AXIS_LEFT + 22 + i * 48} y={10} fontSize={10} fill={theme.text}>
                {q.name}
              </text>
            </g>
          );
        })}
      </g>
      <line x1={AXIS_LEFT} x2={AXIS_LEFT + w} y1={TOP + h} y2={TOP + h} stroke={theme.axisLine} />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={TOP + h} y2={TOP + h + 4} stroke={theme.axisLine} />
          <text x={x(t)} y={height - 4} fontSize={10} fill={theme.mutedText} textAnchor="middle">
            {formatAxisTime(t, range)}
          </text>
        </g>
      ))}
    </svg>
  );
}
