import "server-only";
// The one wrapper around prometheus-query: plain async functions, typed results, normalised errors.
import { PrometheusDriver, type QueryResult } from "prometheus-query";
import type { Config } from "../config";
import { PrometheusError, toPrometheusError } from "./errors";
import type { InstantSample, Labels, RangeSeries } from "./types";

export interface PrometheusClient {
  queryRange(query: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<RangeSeries[]>;
  queryInstant(query: string, timeSeconds: number): Promise<InstantSample[]>;
  series(match: string[], startSeconds: number, endSeconds: number): Promise<Labels[]>;
  labelNames(match: string[], startSeconds: number, endSeconds: number): Promise<string[]>;
  labelValues(label: string, match: string[], startSeconds: number, endSeconds: number): Promise<string[]>;
  buildInfo(): Promise<Record<string, string>>;
  /** Build info within a short timeout: whether Prometheus answers now (a dead or stuck one must not stall the check). */
  probe(): Promise<Record<string, string>>;
  metadata(metric: string | undefined, limit: number): Promise<Record<string, unknown>>;
}

/** A probe waits this long at most (or the query timeout, when shorter). */
export const PROBE_TIMEOUT_MS = 3000;

interface DriverMetric {
  name?: string;
  labels?: Record<string, string>;
}
interface DriverSample {
  time: Date;
  value: number;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function labelsOf(metric: DriverMetric | null | undefined): Labels {
  const labels: Labels = { ...(metric?.labels ?? {}) };
  if (metric?.name) labels.__name__ = metric.name;
  return labels;
}

function toRangeSeries(result: QueryResult): RangeSeries[] {
  if (result.resultType !== "matrix") return [];
  return (result.result as Array<{ metric: DriverMetric | null; values: DriverSample[] }>).map((s) => ({
    labels: labelsOf(s.metric),
    points: s.values.map((v) => [v.time.getTime(), finite(v.value)]),
  }));
}

function toInstantSamples(result: QueryResult): InstantSample[] {
  if (result.resultType === "scalar") {
    const [t, v] = result.result as unknown as [number, string];
    return [{ labels: {}, timeMs: t * 1000, value: finite(Number(v)) }];
  }
  if (result.resultType !== "vector") return [];
  return (result.result as Array<{ metric: DriverMetric | null; value: DriverSample }>).map((s) => ({
    labels: labelsOf(s.metric),
    timeMs: s.value.time.getTime(),
    value: finite(s.value.value),
  }));
}

export function createPrometheusClient(config: Config["prometheus"], options: { probeTimeoutMs?: number } = {}): PrometheusClient {
  const headers: Record<string, string> = { ...config.headers };
  if (config.bearerToken) headers.Authorization = `Bearer ${config.bearerToken}`;
  const driverWith = (timeoutMs: number) =>
    new PrometheusDriver({
      endpoint: config.url,
      baseURL: "/api/v1/",
      headers,
      auth: config.basicAuth,
      timeout: timeoutMs,
      preferPost: true, // long PromQL does not fit every proxy's URL limit
    });
  const driver = driverWith(config.timeoutSeconds * 1000 + 2000); // let Prometheus report its own timeout first
  const probeTimeoutMs = Math.min(options.probeTimeoutMs ?? PROBE_TIMEOUT_MS, config.timeoutSeconds * 1000);
  const probeDriver = driverWith(probeTimeoutMs);
  const promTimeout = `${config.timeoutSeconds}s`;
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (thrown) {
      throw toPrometheusError(thrown, config.url, config.timeoutSeconds);
    }
  };
  const ms = (s: number) => s * 1000;
  return {
    queryRange: (query, start, end, step) =>
      call(async () => toRangeSeries(await driver.rangeQuery(query, ms(start), ms(end), step, promTimeout))),
    queryInstant: (query, time) => call(async () => toInstantSamples(await driver.instantQuery(query, ms(time), promTimeout))),
    series: (match, start, end) =>
      call(async () => (await driver.series(match, ms(start), ms(end))).map((m) => labelsOf(m as DriverMetric))),
    labelNames: (match, start, end) => call(() => driver.labelNames(match, ms(start), ms(end))),
    labelValues: (label, match, start, end) => call(() => driver.labelValues(label, match, ms(start), ms(end))),
    buildInfo: () => call(() => driver.statusBuildinfo() as Promise<Record<string, string>>),
    probe: async () => {
      try {
        return (await probeDriver.statusBuildinfo()) as Record<string, string>;
      } catch (thrown) {
        const err = toPrometheusError(thrown, config.url, probeTimeoutMs / 1000);
        // Not a query that could be narrowed: say only that it did not answer in time.
        if (err.kind === "timeout") throw new PrometheusError("timeout", `Prometheus at ${config.url} did not answer within ${probeTimeoutMs / 1000}s`);
        throw err;
      }
    },
    metadata: (metric, limit) => call(() => driver.metadata(metric, limit) as Promise<Record<string, unknown>>),
  };
}
