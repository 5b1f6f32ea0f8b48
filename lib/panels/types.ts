// What the panel engine answers, and what GET /api/panels/{id} carries as data. Shared by the route handler and the
// browser.
import type { PrometheusErrorKind } from "../prometheus/errors";
import type { Unit } from "../format";
import type { Point } from "../prometheus/types";

export interface ChartSeries {
  name: string;
  points: Point[];
  /**
   * `limit` draws as a dashed reference line; `secondary` as a thinner line (e.g. p50 next to p99); `unstacked` as a
   * bold line at its own level, outside the stack of a stacked chart (5xx beside the stacked other codes).
   */
  role?: "limit" | "secondary" | "unstacked";
}

export interface Bar {
  name: string;
  value: number;
}

export interface Threshold {
  name: string;
  value: number;
}

interface Shown {
  status: "ok";
  promql: string;
  unit: Unit;
  /** Why the panel is empty, when it is ("no request was rejected by APF in this window"). */
  emptyMessage: string;
  /** e.g. "showing the 10 busiest of 42 series". */
  note?: string;
}

export interface Marker {
  name: string;
  atMs: number;
}

export interface TimeseriesData extends Shown {
  kind: "timeseries";
  stacked: boolean;
  series: ChartSeries[];
  thresholds: Threshold[];
  /** Moments drawn as vertical lines (a rollout). */
  markers?: Marker[];
  startMs: number;
  endMs: number;
  stepMs: number;
}

export interface BarData extends Shown {
  kind: "bar";
  bars: Bar[];
  atMs: number;
  windowSeconds: number;
}

export interface HeatmapData extends Shown {
  kind: "heatmap";
  /** End of each step (ms). */
  times: number[];
  /** Bucket upper bounds in seconds, ascending; the last may be Infinity (sent as null). */
  uppers: Array<number | null>;
  /** counts[t][b]: observations in bucket b during the step ending at times[t]. */
  counts: number[][];
  /** Quantile lines from the same counts. */
  quantiles: ChartSeries[];
  startMs: number;
  endMs: number;
  stepMs: number;
}

export interface NotCovered {
  status: "not-covered";
  message: string;
}

export interface PanelError {
  status: "error";
  kind: PrometheusErrorKind | "bad_request";
  message: string;
}

/**
 * A panel's content, or why this Prometheus cannot draw it: the `data` of GET /api/panels/{id}. A failed query
 * (PanelError) never travels as data: the route answers it as the envelope's failure.
 */
export type PanelAnswer = TimeseriesData | BarData | HeatmapData | NotCovered;

/** What running a panel gives on the server. */
export type PanelData = PanelAnswer | PanelError;
