// A backtest against Prometheus: the rule's expression as range queries at the group's evaluation interval (the
// instant queries the rule manager would have made, one per step), through the gateway, then the state machine.
// What one backtest may cost upstream is capped, and the answer says what it used.
import type { Gateway } from "../prometheus/gateway";
import { PrometheusError } from "../prometheus/errors";
import type { RangeSeries } from "../prometheus/types";
import { backtestAlert, evaluatedSeries } from "./backtest";
import { BACKTEST_CAPS, CHART_MAX_SERIES, type BacktestAnswer, type BacktestRequest, type PreviewChart } from "./backtest-types";
import { splitThreshold } from "./promql-ast";

/** Prometheus refuses a range query of more than 11,000 points per series. */
export const MAX_STEPS_PER_QUERY = 11_000;

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

/** Joins the chunks' results: a series split across chunks becomes one. */
function joinChunks(chunks: RangeSeries[][]): RangeSeries[] {
  const byKey = new Map<string, RangeSeries>();
  for (const chunk of chunks) {
    for (const s of chunk) {
      const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
      const seen = byKey.get(key);
      if (seen) seen.points.push(...s.points);
      else byKey.set(key, { labels: s.labels, points: [...s.points] });
    }
  }
  return [...byKey.values()];
}

export async function runBacktest(gateway: Pick<Gateway, "queryRange">, req: BacktestRequest): Promise<BacktestAnswer> {
  const problem = backtestProblem(req);
  if (problem) throw new RangeError(problem);
  const i = req.intervalSeconds;
  const { start, end, count } = evaluationRange(req);
  const chunks: Array<[number, number]> = [];
  for (let from = start; from <= end; from += MAX_STEPS_PER_QUERY * i) chunks.push([from, Math.min(end, from + (MAX_STEPS_PER_QUERY - 1) * i)]);
  // Sequential: one backtest never holds more than one query against Prometheus at a time.
  const results: RangeSeries[][] = [];
  let points = 0;
  for (const [from, to] of chunks) {
    const result = await gateway.queryRange(req.expr, from, to, i);
    points += result.reduce((n, s) => n + s.points.length, 0);
    results.push(result);
    const series = joinChunks(results).length;
    if (series > BACKTEST_CAPS.series) {
      throw new PrometheusError("too_many_series", `The rule's expression returned ${series} series, more than the ${BACKTEST_CAPS.series} a backtest evaluates — aggregate it or narrow its selector`);
    }
    if (points > BACKTEST_CAPS.points) {
      throw new PrometheusError("too_many_samples", `The backtest needs more than ${BACKTEST_CAPS.points.toLocaleString("en-US")} points — shorten the window, lengthen the interval or narrow the selector`);
    }
  }
  const joined = joinChunks(results);
  const evaluated = evaluatedSeries(joined, { startSeconds: start, endSeconds: end, stepSeconds: i });
  const backtest = backtestAlert({ ...evaluated, forMs: req.forSeconds * 1000, keepFiringForMs: req.keepFiringForSeconds * 1000 });
  return {
    ...backtest,
    startSeconds: start,
    endSeconds: end,
    intervalSeconds: i,
    evaluations: count,
    cost: { queries: chunks.length, series: joined.length, points, caps: BACKTEST_CAPS },
  };
}

/** The rule's value over the window at a chart's resolution, with its threshold. */
export async function runPreview(
  gateway: Pick<Gateway, "queryRange">,
  expr: string,
  range: { startSeconds: number; endSeconds: number; stepSeconds: number },
): Promise<PreviewChart> {
  const threshold = splitThreshold(expr);
  const drawn = threshold?.lhs ?? expr;
  const result = await gateway.queryRange(drawn, range.startSeconds, range.endSeconds, range.stepSeconds);
  const below = threshold?.op === "<" || threshold?.op === "<=";
  const extreme = (s: RangeSeries) => {
    const values = s.points.map(([, v]) => v).filter((v): v is number => v !== null);
    return values.length === 0 ? -Infinity : below ? -Math.min(...values) : Math.max(...values);
  };
  const ranked = result.length > CHART_MAX_SERIES ? [...result].sort((a, b) => extreme(b) - extreme(a)) : result;
  return { expr: drawn, threshold, series: ranked.slice(0, CHART_MAX_SERIES), omitted: Math.max(0, result.length - CHART_MAX_SERIES), stepSeconds: range.stepSeconds };
}
