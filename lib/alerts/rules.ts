// The rule model of the workbench: what a Prometheus rule file holds, as plain data. Everything that reads or
// writes rules (templates, the editor, import, export, the regression test) speaks these types.

export type Severity = "info" | "warning" | "critical";

export interface AlertingRule {
  alert: string;
  expr: string;
  /** A Prometheus duration; "" or "0s" for none. */
  for: string;
  /** A Prometheus duration; "" or "0s" for none. */
  keepFiringFor: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  /** The group's evaluation interval, a Prometheus duration; "" for the server's global one. */
  interval: string;
  rules: Rule[];
}

export const isAlerting = (r: Rule): r is AlertingRule => "alert" in r;
export const isRecording = (r: Rule): r is RecordingRule => "record" in r;
