// A backtest against Prometheus: the rule's expression evaluated at the group's evaluation interval (a range query
// at that step holds the instant queries the rule manager would have made), through the gateway, then the state
// machine. What one backtest may cost upstream is capped, and the answer says what it used.
//
// A rule of the usual form `<expression> <op> <number>` is evaluated from one range query of the compared
// expression: an alert series is present where its value passes the comparison, as Prometheus' filter does. The
// same answer draws the chart, and a new threshold is a cache hit. Anything else (`absent(…)`, `a > b`) is queried
// as written, with a second query for the chart.
import type { Gateway } from "../prometheus/gateway";
import { PrometheusError } from "../prometheus/errors";
import type { RangeSeries } from "../prometheus/types";
import { backtestAlert, evaluatedSeries, evaluationTimesMs, type EvaluatedSeries } from "./backtest";
import { BACKTEST_CAPS, CHART_MAX_SERIES, type BacktestAnswer, type BacktestRequest, type PreviewChart } from "./backtest-types";
import { splitThreshold, type ComparisonOp, type Threshold } from "./promql-ast";

/** Prometheus refuses a range query of more than 11,000 points per series. */
export const MAX_STEPS_PER_QUERY = 11_000;
/**
 * ±Inf (x/0) passes a comparison but travels as null, like NaN, which never does: clamped to the largest finite
 * number it stays a number. clamp_min/clamp_max exist in every Prometheus and compatible store.
 */
const MAX_FLOAT = "1.7976931348623157e+308";

/** The evaluation times' span: aligned to the interval as the rule manager's group ticks are. */
export function evaluationRange(req: Pick<BacktestRequest, "startSeconds" | "endSeconds" | "intervalSeconds">): { start: number; end: number; count: number } {
  const i = req.intervalSeconds;
  const start = Math.ceil(req.startSeconds / i) * i;
  const end = Math.floor(req.endSeconds / i) * i;
  return { start, end, count: end >= start ? Math.floor((end - start) / i) + 1 : 0 };
}

/** Why the request cannot be run within the caps, or null. */
export function backtestProblem(req: BacktestRequest): string | null {
  if (!(req.intervalSeconds >= 1)) return "the evaluation interval must be at least 1s";
  const { count } = evaluationRange(req);
  if (count === 0) return "the window holds no evaluation time: widen it";
  const maxEvaluations = MAX_STEPS_PER_QUERY * BACKTEST_CAPS.queries;
  if (count > maxEvaluations) {
    return `${count} evaluations are more than the ${maxEvaluations} a backtest may make: shorten the window or lengthen the interval`;
  }
  return null;
}

const seriesKey = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Joins the chunks' results: a series split across chunks becomes one. */
function joinChunks(chunks: RangeSeries[][]): RangeSeries[] {
  const byKey = new Map<string, RangeSeries>();
  for (const chunk of chunks) {
    for (const s of chunk) {
      const key = seriesKey(s.labels);
      const seen = byKey.get(key);
      if (seen) seen.points.push(...s.points);
      else byKey.set(key, { labels: s.labels, points: [...s.points] });
    }
  }
  return [...byKey.values()];
}

interface Evaluated {
  series: RangeSeries[];
  queries: number;
  points: number;
}

/** A long window is evaluated in two halves at once: Prometheus runs each query on one core. */
const PARALLEL_FROM_EVALUATIONS = 1_440;
const PARALLEL_QUERIES = 2;

/** The expression at every evaluation time, in chunks Prometheus accepts, at most two at a time, within the caps. */
async function evaluateRange(gateway: Pick<Gateway, "queryRange">, expr: string, range: { start: number; end: number; step: number }, what: string): Promise<Evaluated> {
  const count = Math.floor((range.end - range.start) / range.step) + 1;
  const parts = Math.max(Math.ceil(count / MAX_STEPS_PER_QUERY), count >= PARALLEL_FROM_EVALUATIONS ? PARALLEL_QUERIES : 1);
  const perPart = Math.ceil(count / parts);
  const chunks: Array<[number, number]> = [];
  for (let from = range.start; from <= range.end; from += perPart * range.step) {
    chunks.push([from, Math.min(range.end, from + (perPart - 1) * range.step)]);
  }
  const results: RangeSeries[][] = [];
  let points = 0;
  for (let k = 0; k < chunks.length; k += PARALLEL_QUERIES) {
    const batch = await Promise.all(chunks.slice(k, k + PARALLEL_QUERIES).map(([from, to]) => gateway.queryRange(expr, from, to, range.step)));
    for (const result of batch) {
      points += result.reduce((n, s) => n + s.points.length, 0);
      results.push(result);
    }
    const series = joinChunks(results).length;
    if (series > BACKTEST_CAPS.series) {
      throw new PrometheusError("too_many_series", `${what} returned ${series} series, more than the ${BACKTEST_CAPS.series} a backtest evaluates — aggregate it or narrow its selector`);
    }
    if (points > BACKTEST_CAPS.points) {
      throw new PrometheusError("too_many_samples", `The backtest needs more than ${BACKTEST_CAPS.points.toLocaleString("en-US")} points — shorten the window, lengthen the interval or narrow the selector`);
    }
  }
  return { series: joinChunks(results), queries: chunks.length, points };
}

const COMPARE: Record<ComparisonOp, (a: number, b: number) => boolean> = {
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

/** Where each series of the compared expression passes the threshold: the alert's series at each evaluation. */
function passing(values: readonly RangeSeries[], t: Threshold, evalTimesMs: readonly number[]): EvaluatedSeries[] {
  const index = new Map(evalTimesMs.map((ms, i) => [ms, i]));
  const compare = COMPARE[t.op];
  const out: EvaluatedSeries[] = [];
  for (const { labels, points } of values) {
    const present = evalTimesMs.map(() => false);
    let any = false;
    for (const [ms, v] of points) {
      const i = index.get(ms);
      // null is NaN here (±Inf was clamped): as in Prometheus, it passes only `!=`.
      if (i !== undefined && (v === null ? t.op === "!=" : compare(v, t.value))) present[i] = any = true;
    }
    const { __name__: _name, ...alertLabels } = labels;
    if (any) out.push({ labels: alertLabels, present });
  }
  return out;
}

interface Run {
  backtest: BacktestAnswer;
  /** The compared expression's values at every evaluation, when the rule has a constant threshold. */
  compared: { threshold: Threshold; series: RangeSeries[] } | null;
}

/** Warm-up evaluations before the window at most: for and keep_firing_for longer than this start cold. */
const MAX_WARM_UP_SECONDS = 86_400;

async function run(gateway: Pick<Gateway, "queryRange">, req: BacktestRequest): Promise<Run> {
  const problem = backtestProblem(req);
  if (problem) throw new RangeError(problem);
  const i = req.intervalSeconds;
  const { start, end, count } = evaluationRange(req);
  // Evaluated from earlier, so that an alert already pending or firing when the window starts is seen as such.
  const warmUp = Math.ceil(Math.min(MAX_WARM_UP_SECONDS, req.forSeconds + req.keepFiringForSeconds) / i) * i;
  const evalStart = Math.max(0, start - warmUp);
  const total = Math.floor((end - evalStart) / i) + 1;
  if (total > MAX_STEPS_PER_QUERY * BACKTEST_CAPS.queries) throw new RangeError(`with the warm-up for its for and keep_firing_for, ${total} evaluations are more than the backtest may make: shorten the window`);
  const range = { start: evalStart, end, step: i };
  const evalTimes = evaluationTimesMs({ startSeconds: evalStart, endSeconds: end, stepSeconds: i });
  const threshold = splitThreshold(req.expr);
  let evaluated: readonly EvaluatedSeries[] | null = null;
  let used: Evaluated | null = null;
  let compared: Run["compared"] = null;
  if (threshold) {
    try {
      used = await evaluateRange(gateway, `clamp_max(clamp_min(${threshold.lhs}, -${MAX_FLOAT}), ${MAX_FLOAT})`, range, "The rule's compared expression");
      evaluated = passing(used.series, threshold, evalTimes);
      compared = { threshold, series: used.series };
    } catch (err) {
      // More series than a backtest reads before the comparison (`up == 0` over every target): the expression as
      // written returns only those that pass.
      if (!(err instanceof PrometheusError) || (err.kind !== "too_many_series" && err.kind !== "too_many_samples")) throw err;
    }
  }
  if (!evaluated || !used) {
    used = await evaluateRange(gateway, req.expr, range, "The rule's expression");
    evaluated = evaluatedSeries(used.series, { startSeconds: evalStart, endSeconds: end, stepSeconds: i }).series;
  }
  if (evaluated.length * total > BACKTEST_CAPS.cells) {
    throw new PrometheusError("too_many_samples", `${evaluated.length} alert series over ${total} evaluations are more than a backtest follows — shorten the window or narrow the selector`);
  }
  const backtest = backtestAlert({
    evalTimesMs: evalTimes,
    series: evaluated,
    forMs: req.forSeconds * 1000,
    keepFiringForMs: req.keepFiringForSeconds * 1000,
    reportFromMs: start * 1000,
  });
  return {
    backtest: {
      ...backtest,
      startSeconds: start,
      endSeconds: end,
      intervalSeconds: i,
      evaluations: count,
      cost: { queries: used.queries, series: used.series.length, points: used.points, caps: BACKTEST_CAPS },
    },
    compared,
  };
}

export async function runBacktest(gateway: Pick<Gateway, "queryRange">, req: BacktestRequest): Promise<BacktestAnswer> {
  return (await run(gateway, req)).backtest;
}

/** The series that reach highest (lowest, for a `<` rule) first, at most CHART_MAX_SERIES of them. */
function chartSeries(series: readonly RangeSeries[], threshold: Threshold | null): { series: RangeSeries[]; omitted: number } {
  const below = threshold?.op === "<" || threshold?.op === "<=";
  const extreme = (s: RangeSeries) => {
    let m = -Infinity;
    for (const [, v] of s.points) if (v !== null) m = Math.max(m, below ? -v : v);
    return m;
  };
  const ranked = series.length > CHART_MAX_SERIES ? [...series].sort((a, b) => extreme(b) - extreme(a)) : [...series];
  return { series: ranked.slice(0, CHART_MAX_SERIES), omitted: Math.max(0, series.length - CHART_MAX_SERIES) };
}

/**
 * Points at the chart's step from points at the evaluation interval: per chart step the value furthest past the
 * threshold's side (the peak for `>`), so a short crossing stays visible.
 */
function toChartStep(points: RangeSeries["points"], stepMs: number, below: boolean): RangeSeries["points"] {
  const out: RangeSeries["points"] = [];
  for (const [ms, v] of points) {
    const slot = Math.floor(ms / stepMs) * stepMs;
    const last = out.at(-1);
    if (last && last[0] === slot) {
      if (v !== null && (last[1] === null || (below ? v < last[1] : v > last[1]))) last[1] = v;
    } else out.push([slot, v]);
  }
  return out;
}

/** Clamped ±Inf shown as the largest finite number would flatten the chart: drawn as gaps. */
const unclamp = (v: number | null) => (v !== null && Math.abs(v) >= Number.MAX_VALUE ? null : v);

/**
 * The backtest and its chart: for a rule with a constant threshold, from the one query of the compared expression;
 * otherwise the chart is one more query of the whole expression at the chart's step.
 */
export async function runBacktestWithChart(
  gateway: Pick<Gateway, "queryRange">,
  req: BacktestRequest,
  chartRange: { startSeconds: number; endSeconds: number; stepSeconds: number },
): Promise<{ backtest: BacktestAnswer; chart: PreviewChart }> {
  const { backtest, compared } = await run(gateway, req);
  if (compared) {
    const { series, omitted } = chartSeries(compared.series, compared.threshold);
    const stepSeconds = Math.max(req.intervalSeconds, chartRange.stepSeconds);
    const below = compared.threshold.op === "<" || compared.threshold.op === "<=";
    return {
      backtest,
      chart: {
        expr: compared.threshold.lhs,
        threshold: compared.threshold,
        // The warm-up before the window is not drawn.
        series: series.map((s) => ({
          labels: s.labels,
          points: toChartStep(s.points.filter(([t]) => t >= backtest.startSeconds * 1000), stepSeconds * 1000, below).map(([t, v]) => [t, unclamp(v)]),
        })),
        omitted,
        stepSeconds,
      },
    };
  }
  const result = await gateway.queryRange(req.expr, chartRange.startSeconds, chartRange.endSeconds, chartRange.stepSeconds);
  const { series, omitted } = chartSeries(result, null);
  return {
    backtest: { ...backtest, cost: { ...backtest.cost, queries: backtest.cost.queries + 1 } },
    chart: { expr: req.expr, threshold: null, series, omitted, stepSeconds: chartRange.stepSeconds },
  };
}
