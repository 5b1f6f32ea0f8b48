// When would an alerting rule have fired? Its expression's result at each evaluation time (a range query at the
// group's evaluation interval) run through the state machine of Prometheus' rule manager (rules/alerting.go), per
// alert series:
//   - a series in the result that has no active alert becomes pending, active from that evaluation;
//   - a pending alert fires at the first evaluation at least `for` after it became active;
//   - a pending alert whose series leaves the result is dropped (it never fired);
//   - a firing alert whose series leaves the result resolves at that evaluation, unless `keep_firing_for` is set:
//     then it keeps firing while less than `keep_firing_for` has passed since the first evaluation without it, and
//     the count starts again when the series comes back;
//   - a resolved alert whose series comes back is a new pending alert.
// Staleness needs nothing here: the range query already leaves a series out where it had no sample within the
// lookback, as the rule's instant query at that time would.

import type { RangeSeries } from "../prometheus/types";

export type AlertState = "pending" | "firing";

/** One alert series: whether the expression returned it at each evaluation time. */
export interface EvaluatedSeries {
  labels: Record<string, string>;
  /** Aligned with `evalTimesMs`: true where the result held this series. */
  present: readonly boolean[];
}

export interface BacktestInput {
  /** The evaluation times, ascending, one evaluation interval apart. */
  evalTimesMs: readonly number[];
  series: readonly EvaluatedSeries[];
  forMs: number;
  keepFiringForMs: number;
  /**
   * The window's start, when the evaluations begin earlier to warm up: an alert already pending or firing when the
   * window starts is then seen as such, not as new. Spans are reported from here.
   */
  reportFromMs?: number;
}

/** A stretch of one state, from the evaluation that entered it to the one that left it (or the window's end). */
export interface StateSpan {
  state: AlertState;
  fromMs: number;
  toMs: number;
  /** False when the window ended with the alert still in this state. */
  ended: boolean;
}

export interface SeriesBacktest {
  labels: Record<string, string>;
  spans: StateSpan[];
  /** Evaluation times at which the alert started firing. */
  firedAtMs: number[];
}

export interface Backtest {
  series: SeriesBacktest[];
  /** The first time any series fired, or null. */
  firstFiredMs: number | null;
  /** How many series fired at least once. */
  firedSeries: number;
  /** Time during which at least one series was firing. */
  firingMs: number;
  /** Whether a series was already firing when the window started (it fired at firstFiredMs, before the window). */
  firingAtStart: boolean;
}

interface Active {
  state: AlertState;
  activeAtMs: number;
  keepFiringSinceMs: number | null;
}

/** The rule manager's states of one series over the evaluation times. */
function runSeries(evalTimesMs: readonly number[], present: readonly boolean[], forMs: number, keepFiringForMs: number): (AlertState | null)[] {
  const states: (AlertState | null)[] = [];
  let alert: Active | null = null;
  evalTimesMs.forEach((ts, i) => {
    if (present[i]) {
      alert ??= { state: "pending", activeAtMs: ts, keepFiringSinceMs: null };
      alert.keepFiringSinceMs = null;
      if (alert.state === "pending" && ts - alert.activeAtMs >= forMs) alert.state = "firing";
    } else if (alert) {
      let keepFiring = false;
      if (alert.state === "firing" && keepFiringForMs > 0) {
        alert.keepFiringSinceMs ??= ts;
        keepFiring = ts - alert.keepFiringSinceMs < keepFiringForMs;
      }
      if (!keepFiring) alert = null;
    }
    states.push(alert?.state ?? null);
  });
  return states;
}

/** Consecutive evaluations in one state as spans; a state holds until the next evaluation changes it. */
function toSpans(evalTimesMs: readonly number[], states: readonly (AlertState | null)[], endMs: number): StateSpan[] {
  const spans: StateSpan[] = [];
  states.forEach((state, i) => {
    const ts = evalTimesMs[i]!;
    const last = spans.at(-1);
    if (last && !last.ended && last.state === state) return;
    if (last && !last.ended) {
      last.toMs = ts;
      last.ended = true;
    }
    if (state) spans.push({ state, fromMs: ts, toMs: endMs, ended: false });
  });
  return spans;
}

/** Total length of the union of intervals. */
function unionMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | null = null;
  for (const [a, b] of sorted) {
    if (current && a <= current[1]) current[1] = Math.max(current[1], b);
    else {
      if (current) total += current[1] - current[0];
      current = [a, b];
    }
  }
  return total + (current ? current[1] - current[0] : 0);
}

export function backtestAlert(input: BacktestInput): Backtest {
  const { evalTimesMs, forMs, keepFiringForMs } = input;
  const last = evalTimesMs.at(-1);
  const step = evalTimesMs.length > 1 ? evalTimesMs[1]! - evalTimesMs[0]! : 0;
  // The last evaluation's state holds for one interval past it: the window's end.
  const endMs = last === undefined ? 0 : last + step;
  const from = input.reportFromMs ?? -Infinity;
  let firingAtStart = false;
  const series = input.series.flatMap((s): SeriesBacktest[] => {
    const states = runSeries(evalTimesMs, s.present, forMs, keepFiringForMs);
    // Spans of the warm-up are dropped; one crossing the window's start is drawn from it, but fired when it fired.
    const spans = toSpans(evalTimesMs, states, endMs).filter((x) => x.toMs > from);
    const firedAtMs = spans.filter((x) => x.state === "firing").map((x) => x.fromMs);
    if (spans.some((x) => x.state === "firing" && x.fromMs < from)) firingAtStart = true;
    const shown = spans.map((x) => (x.fromMs < from ? { ...x, fromMs: from } : x));
    return shown.length > 0 || input.reportFromMs === undefined ? [{ labels: s.labels, spans: shown, firedAtMs }] : [];
  });
  const firing = series.flatMap((s) => s.spans.filter((x) => x.state === "firing").map((x): [number, number] => [x.fromMs, x.toMs]));
  let firstFiredMs: number | null = null;
  for (const s of series) for (const t of s.firedAtMs) if (firstFiredMs === null || t < firstFiredMs) firstFiredMs = t;
  return {
    series,
    firstFiredMs,
    firedSeries: series.filter((s) => s.firedAtMs.length > 0).length,
    firingMs: unionMs(firing),
    firingAtStart,
  };
}

/** The evaluation times from `startSeconds` to `endSeconds`, one step apart, in milliseconds. */
export function evaluationTimesMs(range: { startSeconds: number; endSeconds: number; stepSeconds: number }): number[] {
  const times: number[] = [];
  for (let t = range.startSeconds; t <= range.endSeconds; t += range.stepSeconds) times.push(t * 1000);
  return times;
}

/**
 * The expression's range-query result at the evaluation interval as the rule manager would have seen it: the
 * evaluation times from `startSeconds` to `endSeconds`, and each series present where it has a point (a NaN value,
 * which travels as null, is a sample still: the alert would fire on it). Alert labels leave out the metric name.
 */
export function evaluatedSeries(result: readonly RangeSeries[], range: { startSeconds: number; endSeconds: number; stepSeconds: number }): Pick<BacktestInput, "evalTimesMs" | "series"> {
  const evalTimesMs = evaluationTimesMs(range);
  const index = new Map(evalTimesMs.map((t, i) => [t, i]));
  const series = result.map(({ labels, points }) => {
    const present = evalTimesMs.map(() => false);
    for (const [t] of points) {
      const i = index.get(t);
      if (i !== undefined) present[i] = true;
    }
    const { __name__: _name, ...alertLabels } = labels;
    return { labels: alertLabels, present };
  });
  return { evalTimesMs, series };
}
