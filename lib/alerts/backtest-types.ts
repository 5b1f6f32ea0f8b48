// What a backtest asks and answers, shared by the route and the browser (no server code here).
import type { Backtest } from "./backtest";
import type { Threshold } from "./promql-ast";
import type { RangeSeries } from "../prometheus/types";
import type { RecordingRule, RuleGroup } from "./rules";

export const BACKTEST_CAPS = {
  /** Range queries per backtest: the window is split when it has more evaluations than one query allows. */
  queries: 8,
  /** Alert series the expression may return. */
  series: 500,
  /** Points (series × evaluations) all queries may return together. */
  points: 2_000_000,
  /** Alert series × evaluations the state machine follows. */
  cells: 4_000_000,
} as const;

export interface BacktestRequest {
  expr: string;
  forSeconds: number;
  keepFiringForSeconds: number;
  intervalSeconds: number;
  startSeconds: number;
  endSeconds: number;
}

export interface BacktestCost {
  queries: number;
  series: number;
  points: number;
  caps: typeof BACKTEST_CAPS;
}

export interface BacktestAnswer extends Backtest {
  /** The first and last evaluation times (aligned to the interval), in seconds. */
  startSeconds: number;
  endSeconds: number;
  intervalSeconds: number;
  evaluations: number;
  cost: BacktestCost;
}

/** Series the preview chart draws at most: those reaching highest (or lowest, for a `<` rule) are kept. */
export const CHART_MAX_SERIES = 20;

export interface PreviewChart {
  /** The expression drawn: the compared side of the rule's comparison, or the whole expression. */
  expr: string;
  threshold: Threshold | null;
  series: RangeSeries[];
  /** How many series the expression returned beyond those drawn. */
  omitted: number;
  stepSeconds: number;
}


/** POST /api/alerts/backtest's body. Durations are Prometheus durations; start and end in seconds. */
export interface BacktestBody {
  expr: string;
  records: RecordingRule[];
  for: string;
  keepFiringFor: string;
  interval: string;
  start: number;
  end: number;
  width: number;
}

export interface BacktestResult {
  backtest: BacktestAnswer;
  chart: PreviewChart;
  /** Whether recording rules were inlined into the expression. */
  inlined: boolean;
}

/** POST /api/alerts/regression's body: the rules to keep as a test, over a window at an evaluation interval. */
export interface RegressionBody {
  group: RuleGroup;
  interval: string;
  start: number;
  end: number;
}

export interface RegressionAnswer {
  testFileName: string;
  testFile: string;
  rulesFileName: string;
  rulesFile: string;
  /** What the test holds, in words: series captured, their step, the expectations. */
  summary: string;
}
