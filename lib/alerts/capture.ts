import "server-only";
// The input series of a regression test (lib/alerts/regression.ts): every series the rules' expressions read, over
// the incident window and the lookback before it, as Prometheus returns them on a fixed step — a range query of each
// distinct bare selector through the gateway.
//
// Resampling at the step keeps what the rules compute close to, not equal to, what Prometheus computed: a counter
// sampled at the scrape interval and aligned with the scrapes is read exactly; a longer step, or scrapes off the step
// grid, moves rate() a little, and a series that stopped without a staleness marker is repeated by the range query
// for up to Prometheus' lookback delta. What keeps the test robust is where it checks: chooseEvalTimes only picks
// times whose state holds for a margin on both sides, so a small shift of a transition changes no expectation.
// NaN and ±Inf samples arrive as gaps (the gateway's wire format) and are written as missing samples.
import { parser } from "@prometheus-io/lezer-promql";
import type { Gateway } from "../prometheus/gateway";
import { escapeRegex, formatMatchers, isLabelName, type LabelMatcher } from "../promql";
import { durationLiteralSeconds, selectors, syntaxProblem } from "./promql-ast";
import { REGRESSION_LIMITS, type InputSeries } from "./regression";

export interface CaptureRequest {
  /** The expressions of the rules under test: alerting and recording. */
  exprs: readonly string[];
  /** Metric names the recording rules produce: promtool computes those, so they are not captured. */
  recorded: readonly string[];
  /** The first evaluation time of the window, in seconds. */
  startSeconds: number;
  endSeconds: number;
  stepSeconds: number;
  /** How far before the first evaluation the expressions read: at least their largest range window. */
  lookbackSeconds: number;
  /**
   * The lead before `startSeconds` is a whole multiple of this too (the evaluation interval), so that promtool's
   * evaluations, counted from the first sample, fall on the window's evaluation times. Defaults to the step.
   */
  alignSeconds?: number;
}

export interface Capture {
  series: InputSeries[];
  /** Time of the first sample: promtool's time 0. */
  startSeconds: number;
  stepSeconds: number;
  /** The range queries made, one per distinct selector. */
  queries: string[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The lookback an expression needs before its first evaluation: the longest chain of range windows, subquery ranges
 * and (backward) offsets above any of its selectors.
 */
export function captureLookbackSeconds(exprs: readonly string[]): number {
  let max = 0;
  for (const expr of exprs) {
    parser.parse(expr).iterate({
      enter: (ref) => {
        if (ref.name !== "VectorSelector") return undefined;
        let total = 0;
        for (let p = ref.node.parent; p; p = p.parent) {
          let d: { from: number; to: number } | null = null;
          if (p.name === "MatrixSelector" || p.name === "SubqueryExpr") d = p.getChild("DurationExpr");
          else if (p.name === "OffsetExpr") d = p.getChild("OffsetDurationExpr");
          if (!d) continue;
          const text = expr.slice(d.from, d.to).trim();
          if (text.startsWith("-")) continue; // a negative offset reads later data, not earlier
          const seconds = durationLiteralSeconds(text);
          if (seconds === null) throw new RangeError(`cannot tell how far back ${JSON.stringify(text)} reads: write the duration as a literal`);
          total += seconds;
        }
        max = Math.max(max, total);
        return false;
      },
    });
  }
  return max;
}

/** The bare selector for a metric and matchers, with recorded metrics left out of a selector that names none. */
function selectorQuery(metric: string, matchers: readonly LabelMatcher[], recorded: readonly string[]): string {
  const all = [...matchers];
  for (const m of all) {
    if (!isLabelName(m.name)) throw new RangeError(`the label name ${JSON.stringify(m.name)} cannot be written in a promtool test`);
  }
  if (metric !== "" && !METRIC_NAME.test(metric)) all.unshift({ name: "__name__", op: "=", value: metric });
  if (metric === "" && recorded.length > 0) all.push({ name: "__name__", op: "!~", value: recorded.map(escapeRegex).join("|") });
  const inner = formatMatchers(all);
  if (metric === "" || !METRIC_NAME.test(metric)) return `{${inner}}`;
  return inner === "" ? metric : `${metric}{${inner}}`;
}

const labelsKey = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Reads the input series of `exprs` from Prometheus; throws a RangeError when they exceed REGRESSION_LIMITS. */
export async function captureInputSeries(gateway: Pick<Gateway, "queryRange">, req: CaptureRequest): Promise<Capture> {
  const step = req.stepSeconds;
  if (!Number.isInteger(step) || step < 1) throw new RangeError("the step must be a whole number of seconds, at least 1");
  if (!(req.endSeconds >= req.startSeconds)) throw new RangeError("the window ends before it starts");
  const align = req.alignSeconds ?? step;
  if (!Number.isInteger(align) || align < 1) throw new RangeError("the alignment must be a whole number of seconds, at least 1");
  const unit = (step * align) / gcd(step, align);
  const lead = Math.ceil(Math.max(0, req.lookbackSeconds) / unit) * unit;
  const startSeconds = req.startSeconds - lead;
  const samples = Math.floor((req.endSeconds - startSeconds) / step) + 1;
  if (samples > REGRESSION_LIMITS.samplesPerSeries) {
    throw new RangeError(`${samples} samples per series are more than the ${REGRESSION_LIMITS.samplesPerSeries} a regression test holds: use a longer step (regressionStep) or a shorter window`);
  }

  const recorded = new Set(req.recorded);
  const queries = new Map<string, string>();
  for (const expr of req.exprs) {
    const problem = syntaxProblem(expr);
    if (problem) throw new RangeError(`${JSON.stringify(expr)}: ${problem.message}`);
    for (const sel of selectors(expr)) {
      if (sel.metric !== "" && recorded.has(sel.metric)) continue;
      if (sel.rangeSeconds !== null && sel.rangeSeconds < 2 * step) {
        throw new RangeError(`${sel.text}[${sel.rangeSeconds}s] needs at least two samples in its window, and samples ${step}s apart leave fewer: shorten the window so the step can be smaller`);
      }
      const q = selectorQuery(sel.metric, sel.matchers, req.recorded);
      queries.set(q, q);
    }
  }

  const series = new Map<string, InputSeries & { values: Array<number | null> }>();
  // Sequential: a capture never holds more than one query against Prometheus at a time.
  for (const q of queries.values()) {
    const result = await gateway.queryRange(q, startSeconds, req.endSeconds, step);
    for (const s of result) {
      if (s.labels.__name__ !== undefined && recorded.has(s.labels.__name__)) continue;
      const key = labelsKey(s.labels);
      let entry = series.get(key);
      if (!entry) {
        entry = { labels: { ...s.labels }, values: Array<number | null>(samples).fill(null) };
        series.set(key, entry);
      }
      for (const [tMs, v] of s.points) {
        const i = (tMs / 1000 - startSeconds) / step;
        if (Number.isInteger(i) && i >= 0 && i < samples && v !== null) entry.values[i] = v;
      }
    }
    if (series.size > REGRESSION_LIMITS.series) {
      throw new RangeError(`the rules read more than the ${REGRESSION_LIMITS.series} input series a regression test holds (${q} alone returned ${result.length}): narrow their selectors`);
    }
  }
  return {
    series: [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s),
    startSeconds,
    stepSeconds: step,
    queries: [...queries.values()],
  };
}
