// Pure transforms from Prometheus results to what a panel draws.
import type { InstantSample, RangeSeries } from "../prometheus/types";
import type { RangePlan } from "../prometheus/step";
import type { PanelDef, PanelQuery } from "./panel-def";
import { heatmapFromBuckets, quantilesOverTime, type Point } from "../prometheus/histogram";
import type { BarData, ChartSeries, HeatmapData, TimeseriesData } from "./types";

/** More lines than this is noise in a panel; the busiest are kept. */
export const MAX_SERIES_SHOWN = 12;
export const MAX_BARS_SHOWN = 15;

const peak = (s: ChartSeries) => s.points.reduce((m, [, v]) => (v !== null && v > m ? v : m), -Infinity);

/** Keeps the busiest series (reference lines always), ordered by name so colours stay put across refreshes. */
export function keepBusiest(series: ChartSeries[], max: number): { kept: ChartSeries[]; total: number } {
  const limits = series.filter((s) => s.role === "limit");
  const data = series.filter((s) => s.role !== "limit" && s.points.some(([, v]) => v !== null));
  const busiest = [...data].sort((a, b) => peak(b) - peak(a) || a.name.localeCompare(b.name)).slice(0, max);
  busiest.sort((a, b) => a.name.localeCompare(b.name));
  return { kept: [...busiest, ...limits], total: data.length };
}

/** Series named in `order` first, in that order (a stack's bottom first); the rest keep their order after them. */
export function inOrder(series: ChartSeries[], order: readonly string[] = []): ChartSeries[] {
  const rank = (s: ChartSeries) => {
    const i = order.indexOf(s.name);
    return i === -1 ? order.length : i;
  };
  return series.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

export function shapeTimeseries(
  def: Pick<PanelDef, "unit">,
  query: Extract<PanelQuery, { kind: "range" }>,
  result: RangeSeries[],
  plan: RangePlan,
  emptyMessage: string,
): TimeseriesData {
  const series: ChartSeries[] = result.map((r) => {
    const role = query.role?.(r.labels);
    return role ? { name: query.legend(r.labels), points: r.points, role } : { name: query.legend(r.labels), points: r.points };
  });
  const { kept, total } = keepBusiest(series, MAX_SERIES_SHOWN);
  return {
    status: "ok",
    kind: "timeseries",
    promql: query.promql,
    unit: def.unit,
    emptyMessage,
    note: total > MAX_SERIES_SHOWN ? `showing the ${MAX_SERIES_SHOWN} busiest of ${total} series` : undefined,
    stacked: query.stacked ?? false,
    series: inOrder(kept, query.order),
    thresholds: query.thresholds ?? [],
    startMs: plan.startSeconds * 1000,
    endMs: plan.endSeconds * 1000,
    stepMs: plan.stepSeconds * 1000,
  };
}

export function shapeBars(
  def: Pick<PanelDef, "unit">,
  query: Extract<PanelQuery, { kind: "instant" }>,
  result: InstantSample[],
  plan: RangePlan,
  emptyMessage: string,
): BarData {
  const bars = result
    .filter((s): s is InstantSample & { value: number } => s.value !== null)
    .map((s) => ({ name: query.legend(s.labels), value: s.value }))
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
  return {
    status: "ok",
    kind: "bar",
    promql: query.promql,
    unit: def.unit,
    emptyMessage,
    note: bars.length > MAX_BARS_SHOWN ? `showing the top ${MAX_BARS_SHOWN} of ${bars.length}` : undefined,
    bars: bars.slice(0, MAX_BARS_SHOWN),
    atMs: plan.endSeconds * 1000,
    windowSeconds: plan.endSeconds - plan.startSeconds,
  };
}

const HEATMAP_QUANTILES = [0.5, 0.99] as const;

export function shapeHeatmap(
  def: Pick<PanelDef, "unit">,
  query: Extract<PanelQuery, { kind: "buckets" }>,
  result: RangeSeries[],
  plan: RangePlan,
  emptyMessage: string,
): HeatmapData {
  const h = heatmapFromBuckets(
    result.map((r) => ({ le: r.labels.le ?? "", points: r.points.filter((p): p is Point => p[1] !== null) })),
  );
  const empty = h.counts.every((row) => row.every((c) => c === 0));
  return {
    status: "ok",
    kind: "heatmap",
    promql: query.promql,
    unit: def.unit,
    emptyMessage,
    times: empty ? [] : h.times,
    uppers: h.uppers.map((u) => (Number.isFinite(u) ? u : null)),
    counts: empty ? [] : h.counts,
    quantiles: empty ? [] : HEATMAP_QUANTILES.map((q) => ({ name: `p${Math.round(q * 100)}`, points: quantilesOverTime(h, q) })),
    startMs: plan.startSeconds * 1000,
    endMs: plan.endSeconds * 1000,
    stepMs: plan.stepSeconds * 1000,
  };
}
