import "server-only";
// The one door to Prometheus. Identical requests in flight share one upstream call, and answers are kept for
// a short time, so fifty people opening the same incident link cost Prometheus about what one does.
import type { PrometheusClient } from "./client";

export interface GatewayOptions {
  /** How long an answer is reused. */
  ttlMs: number;
  /**
   * Answers about a window that ended longer ago than this (late scrapes included) no longer change, so they are
   * kept for `settledTtlMs` instead: an incident link opened by many people over minutes costs one query.
   */
  settledAfterMs?: number;
  settledTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  promise: Promise<unknown>;
  expiresAt: number; // Infinity while the upstream call is in flight
}

export interface Gateway extends PrometheusClient {
  /** Upstream calls made so far (cache hits and coalesced waiters are not counted). */
  upstreamCalls(): number;
}

export function createGateway(client: PrometheusClient, options: GatewayOptions): Gateway {
  const entries = new Map<string, Entry>();
  const maxEntries = options.maxEntries ?? 500;
  const now = options.now ?? Date.now;
  const settledAfterMs = options.settledAfterMs ?? Infinity;
  const settledTtlMs = options.settledTtlMs ?? options.ttlMs;
  /** The TTL for an answer about data up to `endSeconds`. */
  const ttlFor = (endSeconds: number) => (endSeconds * 1000 < now() - settledAfterMs ? settledTtlMs : options.ttlMs);
  let upstream = 0;

  const evict = () => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
    // Still full: drop the oldest settled answers (Map keeps insertion order).
    for (const [key, entry] of entries) {
      if (entries.size < maxEntries) break;
      if (entry.expiresAt !== Infinity) entries.delete(key);
    }
  };

  function shared<T>(key: string, run: () => Promise<T>, ttlMs = options.ttlMs): Promise<T> {
    const hit = entries.get(key);
    if (hit && hit.expiresAt > now()) return hit.promise as Promise<T>;
    if (entries.size >= maxEntries) evict();
    upstream++;
    const entry: Entry = { promise: run(), expiresAt: Infinity };
    entries.set(key, entry);
    entry.promise.then(
      () => {
        entry.expiresAt = now() + ttlMs;
      },
      () => {
        // Failures are shared with the requests already waiting, never cached for later ones.
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.promise as Promise<T>;
  }

  const key = (...parts: unknown[]) => JSON.stringify(parts);
  return {
    queryRange: (q, start, end, step) =>
      shared(key("range", q, start, end, step), () => client.queryRange(q, start, end, step), ttlFor(end)),
    queryInstant: (q, time) => shared(key("instant", q, time), () => client.queryInstant(q, time), ttlFor(time)),
    series: (match, start, end) => shared(key("series", match, start, end), () => client.series(match, start, end)),
    labelNames: (match, start, end) => shared(key("labels", match, start, end), () => client.labelNames(match, start, end)),
    labelValues: (label, match, start, end) =>
      shared(key("values", label, match, start, end), () => client.labelValues(label, match, start, end)),
    buildInfo: () => shared(key("buildinfo"), () => client.buildInfo()),
    // Reachability is about now: concurrent probes share one call, but an answer is never reused afterwards.
    probe: () => shared(key("probe"), () => client.probe(), 0),
    metadata: (metric, limit) => shared(key("metadata", metric, limit), () => client.metadata(metric, limit)),
    upstreamCalls: () => upstream,
  };
}
