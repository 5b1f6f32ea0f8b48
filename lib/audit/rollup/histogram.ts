// The latency histogram kept in rollups: log-scale buckets (each √2 wider than the last) from 250 µs to ~2 min,
// mergeable by summing, read back as quantiles the way Prometheus' histogram_quantile does.

export const HISTOGRAM_BUCKETS = 40;
const FIRST_UPPER_SECONDS = 0.00025;

/** Upper bound of bucket i in seconds; the last bucket is open-ended. */
export function bucketUpper(i: number): number {
  return i >= HISTOGRAM_BUCKETS - 1 ? Infinity : FIRST_UPPER_SECONDS * 2 ** (i / 2);
}

export function bucketLower(i: number): number {
  return i === 0 ? 0 : bucketUpper(i - 1);
}

/** SQL: the bucket index of a latency in microseconds (NULL stays NULL). */
export function bucketIndexSql(latencyMicros: string): string {
  return `least(${HISTOGRAM_BUCKETS - 1}, greatest(0, CAST(ceil(2 * log2(greatest(${latencyMicros}, 1) / ${FIRST_UPPER_SECONDS * 1e6})) AS INTEGER)))`;
}

/** The q-quantile (0 < q < 1) of a histogram, interpolating linearly inside the bucket; null when empty. */
export function histogramQuantile(q: number, counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      const lower = bucketLower(i);
      const upper = bucketUpper(i);
      // The open-ended last bucket has no upper bound: report its lower bound, as Prometheus does for +Inf.
      if (!Number.isFinite(upper)) return lower;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return bucketLower(counts.length - 1);
}

/** The latency a request of bucket i counts with in busy time: the midpoint (the open-ended last: its lower bound). */
export function bucketMid(i: number): number {
  const upper = bucketUpper(i);
  return Number.isFinite(upper) ? (bucketLower(i) + upper) / 2 : bucketLower(i);
}

/**
 * The time the histogram's requests took together, in seconds, estimated from bucket midpoints (the open-ended
 * last bucket counts at its lower bound): within a factor √2 of the truth.
 */
export function histogramSeconds(counts: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]! * bucketMid(i);
  return total;
}

/** SQL: the same estimate over rollup rows, given the histogram columns' names. */
export function histogramSecondsSql(columns: readonly string[]): string {
  return `(${columns.map((h, i) => `coalesce(sum(${h}), 0) * ${bucketMid(i)}`).join(" + ")})::DOUBLE`;
}
