// A backtest runs against a Prometheus that does not have the rule group's recording rules yet: each recorded
// series the alert reads is replaced by the expression that records it, with the recording rule's labels set as
// Prometheus would set them. Only what the recording rules' static labels can decide is inlined.
import { quoteLabelValue, type LabelMatcher } from "../promql";
import { selectors } from "./promql-ast";
import type { RecordingRule } from "./rules";

/** `read|write`: a regex that is only literal alternatives, decided without running it. */
const LITERAL_ALTERNATIVES = /^[A-Za-z0-9_:.\-/ ]*(\|[A-Za-z0-9_:.\-/ ]*)*$/;

function matches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case "=": return value === m.value;
    case "!=": return value !== m.value;
    case "=~":
    case "!~": {
      // A user's regex is never run on the server (one can take exponential time): only literal alternatives are.
      if (!LITERAL_ALTERNATIVES.test(m.value)) throw new RangeError(`${m.name}${m.op}"${m.value}" is a regex apiscope does not evaluate: write the recorded labels as alternatives (a|b) to backtest before the rule is recorded`);
      const hit = m.value.split("|").includes(value);
      return m.op === "=~" ? hit : !hit;
    }
  }
}

function recorded(rule: RecordingRule): string {
  // label_replace with an empty source label and regex sets the label on every series.
  let expr = `(${rule.expr})`;
  for (const [name, value] of Object.entries(rule.labels)) expr = `label_replace(${expr}, ${quoteLabelValue(name)}, ${quoteLabelValue(value)}, "", "")`;
  return expr;
}

/**
 * The expression with every selector of a recorded metric replaced by its recording rules' expressions (recursively,
 * for records built on records). Throws when a selector filters on a label the recording rules do not set.
 */
export function inlineRecords(expr: string, records: readonly RecordingRule[], depth = 0): string {
  if (records.length === 0) return expr;
  if (depth > 8) throw new RangeError("recording rules refer to each other too deeply to inline");
  const byName = new Map<string, RecordingRule[]>();
  for (const r of records) byName.set(r.record, [...(byName.get(r.record) ?? []), r]);
  let out = "";
  let at = 0;
  for (const s of selectors(expr)) {
    const rules = byName.get(s.metric);
    if (!rules) continue;
    if (s.rangeSeconds !== null) throw new RangeError(`${s.text} is read over a range: it cannot be backtested before the rule is recorded`);
    const chosen = rules.filter((r) =>
      s.matchers.every((m) => {
        if (!(m.name in r.labels)) throw new RangeError(`${s.text} filters on ${m.name}, which the recording rule does not set: it cannot be backtested before the rule is recorded`);
        return matches(m, r.labels[m.name]!);
      }),
    );
    const inner = chosen.length === 0 ? "vector(0) < 0" : chosen.map((r) => inlineRecords(recorded(r), records, depth + 1)).join(" or ");
    out += expr.slice(at, s.from) + `(${inner})`;
    at = s.to;
  }
  return out + expr.slice(at);
}
