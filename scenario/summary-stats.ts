// Statistics for the scenario summary, computed from the same requests and
// accumulators that produce the outputs.

import type { Family, MetricStore } from "./metrics-store";
import type { SimRequest } from "./task";

/** Counts of ResponseComplete events inside the window, as the audit log holds them. */
export class AuditCounts {
  requests = 0;
  responseStarted = 0;
  readonly byClient: Record<string, number> = {};
  readonly byVerbResourceCode: Record<string, number> = {};

  constructor(private readonly endUs: number) {}

  add(req: SimRequest): void {
    if (req.startedUs > 0 && req.startedUs <= this.endUs) this.responseStarted++;
    if (req.endUs <= 0 || req.endUs > this.endUs) return;
    this.requests++;
    const { shape, actor } = req.task;
    this.byClient[actor.client] = (this.byClient[actor.client] ?? 0) + 1;
    const resource = shape.subresource ? `${shape.resource}/${shape.subresource}` : shape.resource;
    const key = `${shape.verb} ${resource} ${req.code}`;
    this.byVerbResourceCode[key] = (this.byVerbResourceCode[key] ?? 0) + 1;
  }
}

/** Nearest-rank quantile of raw samples (0 when empty). */
export function sampleQuantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/**
 * histogram_quantile over the increase of the matching series in samples
 * (fromK, toK]: linear interpolation inside the bucket, the highest finite
 * bound when the quantile falls into +Inf.
 */
export function histogramQuantile(
  store: MetricStore,
  family: Family,
  match: (labels: string) => boolean,
  fromK: number,
  toK: number,
  q: number,
): number {
  const width = family.boundsUs.length + 1;
  const counts = new Float64Array(width);
  for (const series of family.series.values()) {
    if (!match(series.labels) || !series.buckets) continue;
    for (let k = fromK + 1; k <= Math.min(toK, store.samples - 1); k++) {
      for (let b = 0; b < width; b++) counts[b] = (counts[b] as number) + (series.buckets[k * width + b] as number);
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let cumulative = 0;
  for (let b = 0; b < width; b++) {
    const inBucket = counts[b] as number;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      if (b === width - 1) return (family.boundsUs[b - 1] as number) / 1e6;
      const upper = (family.boundsUs[b] as number) / 1e6;
      const lower = b === 0 ? 0 : (family.boundsUs[b - 1] as number) / 1e6;
      return lower + ((upper - lower) * (rank - cumulative)) / inBucket;
    }
    cumulative += inBucket;
  }
  return (family.boundsUs[width - 2] as number) / 1e6;
}

/** Sum of counter increases over (fromK, toK] for matching series. */
export function counterIncrease(
  store: MetricStore,
  family: Family,
  match: (labels: string) => boolean,
  fromK: number,
  toK: number,
): number {
  let total = 0;
  for (const series of family.series.values()) {
    if (!match(series.labels)) continue;
    for (let k = fromK + 1; k <= Math.min(toK, store.samples - 1); k++) total += series.values[k] as number;
  }
  return total;
}

/** Largest value of a gauge summed over the matching series of one instance at one scrape. */
export function gaugePeakPerInstance(family: Family, match: (labels: string) => boolean): number {
  const perInstance = new Map<string, Float64Array>();
  for (const series of family.series.values()) {
    if (!match(series.labels)) continue;
    const instance = /instance="([^"]*)"/.exec(series.labels)?.[1] ?? "";
    let acc = perInstance.get(instance);
    if (!acc) {
      acc = new Float64Array(series.values.length);
      perInstance.set(instance, acc);
    }
    for (let k = 0; k < acc.length; k++) acc[k] = (acc[k] as number) + series.offset + (series.values[k] as number);
  }
  let peak = 0;
  for (const acc of perInstance.values()) for (const v of acc) peak = Math.max(peak, v);
  return peak;
}
