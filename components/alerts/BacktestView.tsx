"use client";
// The backtest of one rule: its value over the window against the threshold, then when each alert series would have
// been pending (amber) and firing (red) as the rule manager evaluates it, in one sentence and as a timeline.
import { useMemo } from "react";
import { EChart } from "@/components/charts/EChart";
import { CHART_THEMES } from "@/components/charts/theme";
import { buildTimeseriesOption } from "@/components/charts/timeseries-option";
import { useTheme } from "@/components/view/use-theme";
import { backtestSentence } from "@/lib/alerts/backtest-text";
import type { BacktestResult } from "@/lib/alerts/backtest-types";
import type { ParamUnit } from "@/lib/alerts/templates/types";
import { formatUtc, type Unit } from "@/lib/format";
import { timeTicks, timeX } from "@/lib/panels/time-axis";
import type { TimeseriesData } from "@/lib/panels/types";

/** Alert series the timeline draws; the sentence counts them all. */
const TIMELINE_MAX_ROWS = 30;
const ROW_PX = 16;
const LABEL_PX = 260;

const CHART_UNIT: Record<ParamUnit, Unit> = { ratio: "ratio", seconds: "seconds", reqps: "reqps", count: "count", bytes: "bytes", percent: "count", none: "count" };

export const seriesName = (labels: Record<string, string>) => {
  const entries = Object.entries(labels).filter(([k]) => k !== "__name__");
  return entries.length === 0 ? "{}" : `{${entries.map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
};

function chartData(r: BacktestResult, unit: ParamUnit, reference: { label: string; ms: number } | null): TimeseriesData {
  const { chart, backtest } = r;
  const startMs = backtest.startSeconds * 1000;
  const endMs = (backtest.endSeconds + backtest.intervalSeconds) * 1000;
  return {
    status: "ok",
    kind: "timeseries",
    promql: chart.expr,
    unit: CHART_UNIT[unit],
    emptyMessage: "The expression returned nothing in this window.",
    stacked: false,
    series: chart.series.map((s) => ({ name: seriesName(s.labels), points: s.points })),
    thresholds: chart.threshold ? [{ name: `threshold ${chart.threshold.op} ${chart.threshold.value}`, value: chart.threshold.value }] : [],
    markers: reference && reference.ms >= startMs && reference.ms <= endMs ? [{ name: reference.label, atMs: reference.ms }] : [],
    startMs,
    endMs,
    stepMs: chart.stepSeconds * 1000,
  };
}

function Timeline({ r }: { r: BacktestResult }) {
  const b = r.backtest;
  const startMs = b.startSeconds * 1000;
  const endMs = (b.endSeconds + b.intervalSeconds) * 1000;
  const rows = [...b.series]
    .sort((x, y) => (x.spans[0]?.fromMs ?? Infinity) - (y.spans[0]?.fromMs ?? Infinity))
    .slice(0, TIMELINE_MAX_ROWS);
  const width = 1000;
  const ticks = timeTicks(startMs, endMs, 8);
  const height = rows.length * ROW_PX + 18;
  return (
    <div className="flex flex-col gap-1" data-testid="backtest-timeline">
      <div className="flex">
        <div style={{ width: LABEL_PX }} className="shrink-0">
          {rows.map((s, i) => (
            <div key={i} style={{ height: ROW_PX }} className="truncate pr-2 font-mono text-[11px] leading-4 text-slate-600 dark:text-slate-400" title={seriesName(s.labels)}>
              {seriesName(s.labels)}
            </div>
          ))}
        </div>
        <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="h-auto min-w-0 flex-1" style={{ height }} role="img" aria-label="When each alert series was pending and firing">
          {rows.map((s, i) =>
            s.spans.map((span, j) => {
              const x = timeX(span.fromMs, startMs, endMs, width);
              const w = Math.max(1, timeX(span.toMs, startMs, endMs, width) - x);
              return (
                <rect key={`${i}-${j}`} x={x} y={i * ROW_PX + 2} width={w} height={ROW_PX - 4} data-state={span.state} className={span.state === "firing" ? "fill-red-600" : "fill-amber-400"}>
                  <title>{`${span.state} ${formatUtc(span.fromMs)} – ${formatUtc(span.toMs)} UTC${span.ended ? "" : " (still at the window's end)"}`}</title>
                </rect>
              );
            }),
          )}
          {ticks.map((t) => (
            <g key={t}>
              <line x1={timeX(t, startMs, endMs, width)} x2={timeX(t, startMs, endMs, width)} y1={0} y2={rows.length * ROW_PX} className="stroke-slate-300 dark:stroke-slate-700" strokeDasharray="2 3" vectorEffect="non-scaling-stroke" />
              <text x={timeX(t, startMs, endMs, width)} y={height - 4} textAnchor="middle" className="fill-slate-500 text-[10px]">
                {formatUtc(t, false).slice(-5)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <p className="flex gap-3 text-xs text-slate-500">
        <span><span className="mr-1 inline-block size-2 bg-amber-400" />pending (condition true, waiting for its for)</span>
        <span><span className="mr-1 inline-block size-2 bg-red-600" />firing</span>
        {b.series.length > rows.length && <span>showing the first {rows.length} of {b.series.length} alert series</span>}
      </p>
    </div>
  );
}

export function BacktestView({ result, reference, unit, forMs }: {
  result: BacktestResult;
  /** What the delay to firing is measured from (the culprit's first request); the window's start when null. */
  reference: { label: string; ms: number } | null;
  unit: ParamUnit;
  forMs: number;
}) {
  const { theme } = useTheme();
  const data = useMemo(() => chartData(result, unit, reference), [result, unit, reference]);
  const option = useMemo(() => buildTimeseriesOption(data, CHART_THEMES[theme]), [data, theme]);
  const b = result.backtest;
  const sentence = backtestSentence(b, forMs, reference ?? { label: "the window's start", ms: b.startSeconds * 1000 });
  const { cost } = b;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm font-medium" data-testid="backtest-sentence" data-fired={b.firstFiredMs !== null}>
        {sentence}
      </p>
      <div className="h-56" data-testid="backtest-chart">
        {data.series.length === 0 ? (
          <p className="p-4 text-sm text-slate-500">{data.emptyMessage}</p>
        ) : (
          <EChart option={option} label="The rule's value against its threshold" className="h-full w-full" />
        )}
      </div>
      {result.chart.omitted > 0 && <p className="text-xs text-slate-500">The chart shows the {result.chart.series.length} series that came closest to the threshold; {result.chart.omitted} more are left out.</p>}
      {b.series.length > 0 && <Timeline r={result} />}
      <p className="text-xs text-slate-500" data-testid="backtest-cost">
        {b.evaluations.toLocaleString("en-US")} evaluations every {b.intervalSeconds}s · {cost.queries} upstream {cost.queries === 1 ? "query" : "queries"} (at most {cost.caps.queries}, and 1 for the chart of a rule without a constant threshold) ·{" "}
        {cost.series} series (cap {cost.caps.series}) · {cost.points.toLocaleString("en-US")} points (cap {cost.caps.points.toLocaleString("en-US")})
        {result.inlined && " · recording rules inlined"}
      </p>
    </div>
  );
}
