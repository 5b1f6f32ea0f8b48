// CoreDNS request latency and panics, derived from the per-scrape request and
// SERVFAIL counts already written for each instance.

import type { Families } from "./metric-families";
import type { MetricStore, Series } from "./metrics-store";
import { Rng } from "./rng";

/** The counters of one CoreDNS instance (see addDnsCounters). */
export interface DnsInstanceSeries {
  common: string[];
  server: string[];
  byType: { type: string; requests: Series }[];
  servfail: Series;
}

// Latency mixture (microseconds, log-normal): most answers come from the
// kubernetes plugin's in-memory cache, a few are forwarded upstream; SERVFAILs
// are slow because the query waited on a backend that never answered.
const LOCAL_MEDIAN_US = 350;
const LOCAL_SIGMA = 0.55;
const FORWARDED_SHARE = 0.07;
const FORWARDED_MEDIAN_US = 9_000;
const FORWARDED_SIGMA = 0.8;
const FAILED_MEDIAN_US = 1.5e6;
const FAILED_SIGMA = 0.5;
/** A panic is only plausible at a scrape where this share of answers failed. */
const PANIC_FAILED_SHARE = 0.01;

/**
 * Fills coredns_dns_request_duration_seconds with as many observations as
 * coredns_dns_requests_total counted, per type. Under control-plane overload
 * CoreDNS spends its CPU re-decoding relists, so even cached answers slow
 * down (x4 at saturation); the SERVFAIL share sets the tail.
 * Bucket counts are expected counts, rounded cumulatively so they add up.
 */
export function addDnsLatency(store: MetricStore, f: Families, instances: DnsInstanceSeries[], load: Float64Array, seed: number): void {
  const rng = new Rng(seed, 5);
  const family = f.dnsDuration;
  const bounds = Array.from(family.boundsUs);
  const width = bounds.length + 1;
  const meanOf = (median: number, sigma: number) => median * Math.exp((sigma * sigma) / 2);
  for (const dns of instances) {
    const histograms = dns.byType.map(({ type, requests }) => ({
      requests,
      series: store.series(family, [...dns.server, type, ...dns.common]),
    }));
    for (let k = 1; k < store.samples; k++) {
      const u = load[k] as number;
      const local = LOCAL_MEDIAN_US * (1 + 3 * u) * rng.lognormal(0.08);
      const forwarded = FORWARDED_MEDIAN_US * (1 + u) * rng.lognormal(0.08);
      let total = 0;
      for (const h of histograms) total += h.requests.values[k] as number;
      let failedLeft = dns.servfail.values[k] as number;
      let totalLeft = total;
      for (const h of histograms) {
        const count = h.requests.values[k] as number;
        // Failures are shared across types in proportion to their requests.
        const failed = Math.min(count, totalLeft > 0 ? Math.round((failedLeft * count) / totalLeft) : 0);
        failedLeft -= failed;
        totalLeft -= count;
        const answered = count - failed;
        const cdf = (us: number) =>
          answered *
            ((1 - FORWARDED_SHARE) * logNormalCdf(us, local, LOCAL_SIGMA) +
              FORWARDED_SHARE * logNormalCdf(us, forwarded, FORWARDED_SIGMA)) +
          failed * logNormalCdf(us, FAILED_MEDIAN_US, FAILED_SIGMA);
        const buckets = h.series.buckets as Float64Array;
        let below = 0;
        for (let b = 0; b < width; b++) {
          const upTo = b < bounds.length ? Math.min(count, Math.round(cdf(bounds[b] as number))) : count;
          buckets[k * width + b] = upTo - below;
          below = upTo;
        }
        h.series.values[k] = count;
        (h.series.sum as Float64Array)[k] = Math.round(
          answered * ((1 - FORWARDED_SHARE) * meanOf(local, LOCAL_SIGMA) + FORWARDED_SHARE * meanOf(forwarded, FORWARDED_SIGMA)) +
            failed * meanOf(FAILED_MEDIAN_US, FAILED_SIGMA),
        );
      }
    }
  }
}

/**
 * coredns_panics_total stays 0 except late in the incident: at most one panic
 * per instance, at its worst scrape (by SERVFAIL share) in the last third of
 * the samples from `lateFromK`, if that scrape failed badly enough.
 */
export function addDnsPanics(store: MetricStore, f: Families, instances: DnsInstanceSeries[], lateFromK: number): void {
  const last = store.samples - 1;
  const from = Math.max(1, lateFromK + Math.ceil(((last - lateFromK) * 2) / 3));
  for (const dns of instances) {
    const panics = store.series(f.dnsPanics, dns.common);
    let worst = -1;
    let worstShare = PANIC_FAILED_SHARE;
    for (let k = from; k <= last; k++) {
      let total = 0;
      for (const { requests } of dns.byType) total += requests.values[k] as number;
      const share = total > 0 ? (dns.servfail.values[k] as number) / total : 0;
      if (share >= worstShare) {
        worst = k;
        worstShare = share;
      }
    }
    if (worst > 0) panics.values[worst] = 1;
  }
}

/** P(X <= x) for a log-normal with the given median and sigma. */
function logNormalCdf(x: number, median: number, sigma: number): number {
  return normalCdf(Math.log(x / median) / sigma);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
