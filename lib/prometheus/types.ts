// Wire types between apiscope's server and browser. Times on the wire are epoch milliseconds; values that
// Prometheus reports as NaN or ±Inf travel as null (a gap).

export type Labels = Record<string, string>;
export type Point = [timeMs: number, value: number | null];

export interface RangeSeries {
  labels: Labels;
  points: Point[];
}

export interface InstantSample {
  labels: Labels;
  timeMs: number;
  value: number | null;
}
