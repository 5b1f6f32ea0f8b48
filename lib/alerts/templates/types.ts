// A template of the library: a curated alerting rule with parameters, written for the metric names the connected
// Prometheus has. Building one is pure: the same parameters and metric names always give the same rule.
import type { RecordingRule, Severity } from "../rules";

export type Area = "apiserver" | "apf" | "webhooks" | "etcd" | "coredns" | "clients";

export const AREAS: ReadonlyArray<{ id: Area; title: string }> = [
  { id: "apiserver", title: "API server" },
  { id: "apf", title: "API Priority and Fairness" },
  { id: "webhooks", title: "Admission webhooks" },
  { id: "etcd", title: "etcd" },
  { id: "coredns", title: "CoreDNS" },
  { id: "clients", title: "Clients (apiscope's /metrics)" },
];

/** Units the chart and the threshold field use (lib/format's units). */
export type ParamUnit = "ratio" | "seconds" | "reqps" | "count" | "bytes" | "percent" | "none";

export interface ParamSpec {
  key: string;
  label: string;
  kind: "number" | "duration" | "matchers" | "labelValue";
  default: number | string;
  unit?: ParamUnit;
  min?: number;
  max?: number;
  help?: string;
}

export type ParamValues = Record<string, number | string>;

/** What the template may know about the connected Prometheus. */
export interface TemplateContext {
  /** Label matchers (no braces) selecting the kube-apiserver series, from the configuration; "" for none. */
  apiserverSelector: string;
  /**
   * Metric names the connected Prometheus has (histograms as their `_bucket`/`_sum`/`_count` names), or null when
   * unknown: then the newest Kubernetes names are used and nothing is reported missing.
   */
  names: ReadonlySet<string> | null;
}

export type TemplateBuild =
  | {
      ok: true;
      expr: string;
      /** Recording rules the expression reads (error-budget burn rates), in evaluation order. */
      records: RecordingRule[];
    }
  | {
      ok: false;
      /** The metric names this Prometheus lacks (each alternative listed as "a or b"). */
      missing: string[];
    };

export interface AlertTemplate {
  /** Stable id used in URLs, e.g. "apiserver-5xx-ratio". */
  id: string;
  area: Area;
  /** The alert name, CamelCase as Prometheus conventions have it. */
  alert: string;
  /** One line shown in the library. */
  title: string;
  /** Annotation texts. May use {{ $labels.<name> }} and {{ $value }} with Prometheus' template functions. */
  summary: string;
  description: string;
  /** What to check and do when it fires (plain text, several sentences). */
  runbook: string;
  severity: Severity;
  /** Default `for` and `keep_firing_for`. */
  for: string;
  keepFiringFor: string;
  /** The key of the parameter that is the threshold drawn on the chart, if any. */
  thresholdParam?: string;
  /** Unit of the expression's value (left-hand side of the comparison), for the chart. */
  unit: ParamUnit;
  params: ParamSpec[];
  build(params: ParamValues, ctx: TemplateContext): TemplateBuild;
  /** Where the metric names, labels and thresholds come from. */
  sources: string[];
  /**
   * Kubernetes versions (of test/fixtures/nri-kubernetes: 1.17 1.22 1.27 1.31 1.34) whose kube-apiserver /metrics
   * carry every metric the template reads. Empty for metrics those dumps cannot have (etcd server, CoreDNS,
   * apiscope's own).
   */
  versions: string[];
}
