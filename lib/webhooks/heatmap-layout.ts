// Where a heatmap's cells and quantile lines go in a w × h box: one column per step, one row per bucket (equal
// heights: the buckets are already exponential), the fastest at the bottom; colour by the log of the count. The x
// axis is the line charts' own: the window [startMs, endMs] across the width, each column centred on its time as a
// line chart draws its point there, so the same moment sits under the same tick in both.
import { timeX } from "../panels/time-axis";

export interface Cell {
  x: number;
  y: number;
  w: number;
  h: number;
  count: number;
  /** 0 … 1, on a log scale of the largest count. */
  intensity: number;
  timeMs: number;
  bucket: number;
}

export interface TimeWindow {
  startMs: number;
  endMs: number;
  stepMs: number;
}

export function heatmapCells(
  times: readonly number[],
  counts: readonly (readonly number[])[],
  buckets: number,
  win: TimeWindow,
  w: number,
  h: number,
): Cell[] {
  if (times.length === 0 || buckets === 0) return [];
  const max = Math.max(1, ...counts.flat());
  const ch = h / buckets;
  const x = (t: number) => timeX(Math.min(win.endMs, Math.max(win.startMs, t)), win.startMs, win.endMs, w);
  const cells: Cell[] = [];
  times.forEach((t, i) => {
    // Half a step either side of the sample's time, cut at the window's edges.
    const [left, right] = [x(t - win.stepMs / 2), x(t + win.stepMs / 2)];
    if (right <= left) return;
    counts[i]!.forEach((count, b) => {
      if (count <= 0) return;
      cells.push({ x: left, y: h - (b + 1) * ch, w: right - left, h: ch, count, intensity: Math.log1p(count) / Math.log1p(max), timeMs: t, bucket: b });
    });
  });
  return cells;
}

/**
 * The y of a latency on the bucket rows: linear inside its bucket, as the quantile was interpolated; above the last
 * finite bound it sits in the top row. null stays null (a gap).
 */
export function latencyY(value: number | null, uppers: readonly (number | null)[], h: number): number | null {
  if (value === null || uppers.length === 0) return null;
  const ch = h / uppers.length;
  for (let b = 0; b < uppers.length; b++) {
    const upper = uppers[b] ?? null;
    if (upper === null || value <= upper) {
      const lower = b === 0 ? 0 : uppers[b - 1]!;
      const within = upper === null || upper === lower ? 0.5 : (value - lower) / (upper - lower);
      return h - (b + Math.min(1, Math.max(0, within))) * ch;
    }
  }
  return 0;
}
