// PromQL of the APF status: one instant query per measure over the whole window, at its end. Pure; `sel` is the
// already-escaped API-server selector, `targetLabels` the labels that tell API servers apart.
import type { MetricSchema } from "../prometheus/schema";
import { APF_METRICS, apfInUseMetric } from "../prometheus/apf-metrics";

/** Peaks are read from a subquery: at most this many points, never finer than a scrape. */
export const MAX_PEAK_POINTS = 10_000;

export function peakStepSeconds(windowSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(scrapeIntervalSeconds, Math.ceil(windowSeconds / MAX_PEAK_POINTS));
}

export interface StatusQueryOptions {
  sel: string;
  windowSeconds: number;
  targetLabels: string;
  peakStepSeconds: number;
}

/** Null where this Prometheus lacks the family. */
export interface StatusQueries {
  /** Per API server and level: nominal seats (request_concurrency_limit before 1.26). */
  nominal: string | null;
  /** Per API server and level: the highest seats (or requests) executing at once. */
  peakInUse: string | null;
  peakQueued: string | null;
  waitP99: string | null;
  /** Per flow schema and level. */
  dispatched: string | null;
  /** Per flow schema, level and reason. */
  rejected: string;
}

/** `a + b` where both have a value, else whichever has one. */
const plus = (a: string, b: string) => `(${a} + ${b}) or ${a} or ${b}`;

export function statusQueries(s: MetricSchema, o: StatusQueryOptions): StatusQueries {
  const w = `${o.windowSeconds}s`;
  const m = (name: string) => `${name}{${o.sel}}`;
  const peak = (name: string) => `max_over_time(sum by (${o.targetLabels}, priority_level) (${m(name)})[${w}:${o.peakStepSeconds}s])`;
  const inUse = apfInUseMetric(s);
  const has = (name: string) => s.names.has(name);
  const flow = "flow_schema, priority_level, reason";
  // The rejected counter of a flow gets its first series at its first rejection, and increase() cannot see that
  // series' first count: a burst within one scrape would vanish. A series missing at the window's start, on an API
  // server that was scraped then (its dispatched counter existed), was born in the window: its first value counts too.
  const rejected = m(APF_METRICS.rejected);
  const born =
    `sum by (${flow}) ((min_over_time(${rejected}[${w}]) unless ${rejected} offset ${w})` +
    ` and on (${o.targetLabels}) ${m(APF_METRICS.dispatched)} offset ${w})`;
  return {
    nominal: s.apfLimitMetric ? `max by (${o.targetLabels}, priority_level) (last_over_time(${m(s.apfLimitMetric)}[${w}]))` : null,
    peakInUse: inUse ? peak(inUse) : null,
    peakQueued: has(APF_METRICS.inQueue) ? peak(APF_METRICS.inQueue) : null,
    waitP99: has(APF_METRICS.waitBucket)
      ? `histogram_quantile(0.99, sum by (priority_level, le) (increase(${m(APF_METRICS.waitBucket)}[${w}])))`
      : null,
    dispatched: has(APF_METRICS.dispatched) ? `sum by (flow_schema, priority_level) (increase(${m(APF_METRICS.dispatched)}[${w}]))` : null,
    rejected: plus(`sum by (${flow}) (increase(${rejected}[${w}]))`, born),
  };
}
