// Prometheus histograms read back from raw bucket counters: per-step increases (a counter that drops was reset, so
// the new value is the increase), a heatmap of per-bucket counts over time, and quantiles computed the way
// histogram_quantile does. Raw counters give exact integer counts per step, where increase() would extrapolate.

export type Point = [timeMs: number, value: number];

/** Increases between consecutive samples of a cumulative counter; the first sample only sets the base. */
export function counterIncreases(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 1; i < points.length; i++) {
    const [t, v] = points[i]!;
    const prev = points[i - 1]![1];
    out.push([t, v >= prev ? v - prev : v]);
  }
  return out;
}

export const parseLe = (le: string): number => (le === "+Inf" ? Infinity : Number(le));

export interface BucketSeries {
  /** The bucket's upper bound as Prometheus labels it ("0.5", "+Inf"). */
  le: string;
  /** Samples of one cumulative bucket counter (one API server, one set of other labels). */
  points: readonly Point[];
}

export interface Heatmap {
  times: number[];
  /** Upper bounds, ascending; the last is Infinity. */
  uppers: number[];
  /** counts[t][b]: requests that took between uppers[b-1] and uppers[b] in the step ending at times[t]. */
  counts: number[][];
}

/** Per-step, per-bucket (not cumulative) counts from raw bucket counters of any number of series. */
export function heatmapFromBuckets(series: readonly BucketSeries[]): Heatmap {
  const uppers = [...new Set(series.map((s) => parseLe(s.le)))].filter((u) => !Number.isNaN(u)).sort((a, b) => a - b);
  const cumulative = new Map<number, number[]>(); // time → cumulative increase per upper bound
  for (const s of series) {
    const b = uppers.indexOf(parseLe(s.le));
    if (b === -1) continue;
    for (const [t, inc] of counterIncreases(s.points)) {
      let row = cumulative.get(t);
      if (!row) cumulative.set(t, (row = new Array<number>(uppers.length).fill(0)));
      row[b]! += inc;
    }
  }
  const times = [...cumulative.keys()].sort((a, b) => a - b);
  const counts = times.map((t) => {
    const row = cumulative.get(t)!;
    // Buckets are cumulative; a lower one above a higher one (series missing a sample) counts as nothing.
    let below = 0;
    return row.map((c) => {
      const n = Math.max(0, c - below);
      below = Math.max(below, c);
      return n;
    });
  });
  return { times, uppers, counts };
}

/**
 * The q-quantile of per-bucket counts with these upper bounds, interpolating linearly inside a bucket as
 * histogram_quantile does; a quantile in the +Inf bucket is the largest finite bound. null without observations.
 */
export function quantile(q: number, uppers: readonly number[], counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0 || uppers.length === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const upper = uppers[i]!;
      if (!Number.isFinite(upper)) return i > 0 ? uppers[i - 1]! : null;
      const lower = i === 0 ? (upper > 0 ? 0 : upper) : uppers[i - 1]!;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return uppers.filter(Number.isFinite).at(-1) ?? null;
}

/** Quantiles per step of a heatmap: [time, value] with null where a step had no requests. */
export function quantilesOverTime(h: Heatmap, q: number): Array<[number, number | null]> {
  return h.times.map((t, i) => [t, quantile(q, h.uppers, h.counts[i]!)]);
}
