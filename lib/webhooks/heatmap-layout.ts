// Where a heatmap's cells and quantile lines go in a w × h box: one column per step, one row per bucket (equal
// heights: the buckets are already exponential), the fastest at the bottom; colour by the log of the count.

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

export function heatmapCells(times: readonly number[], counts: readonly (readonly number[])[], buckets: number, w: number, h: number): Cell[] {
  if (times.length === 0 || buckets === 0) return [];
  const max = Math.max(1, ...counts.flat());
  const cw = w / times.length;
  const ch = h / buckets;
  const cells: Cell[] = [];
  times.forEach((t, i) =>
    counts[i]!.forEach((count, b) => {
      if (count <= 0) return;
      cells.push({ x: i * cw, y: h - (b + 1) * ch, w: cw, h: ch, count, intensity: Math.log1p(count) / Math.log1p(max), timeMs: t, bucket: b });
    }),
  );
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
