import type { Labels } from "../prometheus/types";
import type { MetricSchema } from "../prometheus/schema";
import type { Unit } from "../format";
import type { ChartSeries, Threshold } from "./types";

export interface PanelContext {
  /** Label matchers (no braces) selecting the API server series in view: config selector + cluster + instance. */
  sel: string;
  /** rate() window for range panels, as a PromQL duration. */
  rateWindow: string;
  /** The whole view window as a PromQL duration (for bar panels evaluated once at its end). */
  rangeWindow: string;
  /** `on(...)` labels that identify one scrape target. */
  targetLabels: string;
  inflightLimits: { readOnly: number; mutating: number };
  /** Matchers (no braces) selecting one admission webhook's series, for the webhook detail panels; "" otherwise. */
  webhookSel: string;
}

export type PanelQuery =
  | {
      kind: "range";
      promql: string;
      legend: (labels: Labels) => string;
      role?: (labels: Labels) => ChartSeries["role"];
      stacked?: boolean;
      /** Series drawn first (the bottom of a stack), in this order; the others follow by name. */
      order?: readonly string[];
      thresholds?: Threshold[];
    }
  | { kind: "instant"; promql: string; legend: (labels: Labels) => string }
  /** Raw cumulative histogram bucket counters grouped by target and `le`, drawn as a heatmap. */
  | { kind: "buckets"; promql: string };

export interface PanelDef {
  id: string;
  title: string;
  /** One sentence for the panel's info tooltip: what it shows and what to look for. */
  description: string;
  unit: Unit;
  /** A message when this Prometheus lacks what the panel needs, else null. */
  coverage(schema: MetricSchema): string | null;
  /** What an empty result means for this panel. */
  emptyMessage(schema: MetricSchema): string;
  build(schema: MetricSchema, ctx: PanelContext): PanelQuery;
}

export const NO_REQUEST_METRICS =
  "This Prometheus has no apiserver_request_total — scrape the kube-apiserver /metrics endpoint (or fix APISCOPE_APISERVER_SELECTOR)";
export const NO_APF_METRICS =
  "This Prometheus has no APF metrics — APF needs Kubernetes ≥ 1.20 and the metrics must be scraped";
export const NO_DATA_IN_RANGE = "No samples in this time range";

export const has = (s: MetricSchema, name: string) => s.names.has(name);
export const requireMetric = (name: string, message: string) => (s: MetricSchema) => (has(s, name) ? null : message);
/** Legend from one label; an empty or missing label reads as `fallback`. */
export const label =
  (name: string, fallback = "(none)") =>
  (l: Labels) =>
    l[name] || fallback;
export const noEmpty = () => NO_DATA_IN_RANGE;
