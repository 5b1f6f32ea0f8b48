// Rules out: a plain Prometheus rule file or one PrometheusRule (monitoring.coreos.com/v1) for GitOps. Every string
// is written as a quoted, escaped YAML scalar (lib/export/yaml), so no value is read back as another type.
import { toYamlStream } from "../export/yaml";
import { isAlerting, type Rule, type RuleGroup } from "./rules";

export type ExportFormat = "PrometheusRule" | "rules-file";

export interface PrometheusRuleMeta {
  name: string;
  namespace: string;
  /** Labels the user's Prometheus selects rules by (its ruleSelector), e.g. release: kube-prometheus-stack. */
  labels: Record<string, string>;
}

const hasDuration = (d: string) => d !== "" && d !== "0" && d !== "0s";
const nonEmpty = (m: Record<string, string>) => Object.keys(m).length > 0;

/** A rule as Prometheus writes it: fields in the usual order, empty ones left out. */
export function ruleObject(rule: Rule): Record<string, unknown> {
  if (!isAlerting(rule)) {
    return { record: rule.record, expr: rule.expr, ...(nonEmpty(rule.labels) ? { labels: rule.labels } : {}) };
  }
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(hasDuration(rule.for) ? { for: rule.for } : {}),
    ...(hasDuration(rule.keepFiringFor) ? { keep_firing_for: rule.keepFiringFor } : {}),
    ...(nonEmpty(rule.labels) ? { labels: rule.labels } : {}),
    ...(nonEmpty(rule.annotations) ? { annotations: rule.annotations } : {}),
  };
}

export function groupObject(group: RuleGroup): Record<string, unknown> {
  return {
    name: group.name,
    ...(hasDuration(group.interval) ? { interval: group.interval } : {}),
    rules: group.rules.map(ruleObject),
  };
}

export function ruleFileObject(groups: readonly RuleGroup[]): Record<string, unknown> {
  return { groups: groups.map(groupObject) };
}

export function prometheusRuleObject(groups: readonly RuleGroup[], meta: PrometheusRuleMeta): Record<string, unknown> {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      labels: { "app.kubernetes.io/managed-by": "apiscope", ...meta.labels },
    },
    spec: { groups: groups.map(groupObject) },
  };
}

export function exportYaml(groups: readonly RuleGroup[], format: ExportFormat, meta: PrometheusRuleMeta): string {
  return toYamlStream([format === "PrometheusRule" ? prometheusRuleObject(groups, meta) : ruleFileObject(groups)]);
}
