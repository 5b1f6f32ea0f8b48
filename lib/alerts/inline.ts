// A backtest runs against a Prometheus that does not have the rule group's recording rules yet: each recorded
// series the alert reads is replaced by the expression that records it, with the recording rule's labels set as
// Prometheus would set them. Only what the recording rules' static labels can decide is inlined.
import { quoteLabelValue, type LabelMatcher } from "../promql";
import { selectors } from "./promql-ast";
import type { RecordingRule } from "./rules";

/** `read|write`: a regex that is only literal alternatives, decided without running it. */
const LITERAL_ALTERNATIVES = /^[A-Za-z0-9_:\-/ ]*(\|[A-Za-z0-9_:\-/ ]*)*$/;
/** An inlined expression longer than this is refused: reading one record many times could multiply without end. */
export const MAX_INLINED_CHARS = 100_000;

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
  // The newline ends a trailing `# comment` of the rule's expression before the closing parenthesis.
  let expr = `(${rule.expr}\n)`;
  for (const [name, value] of Object.entries(rule.labels)) expr = `label_replace(${expr}, ${quoteLabelValue(name)}, ${quoteLabelValue(value)}, "", "")`;
  return expr;
}

/**
 * The expression with every selector of a recorded metric replaced by its recording rules' expressions (recursively,
 * for records built on records). Throws when a selector filters on a label the recording rules do not set, or when
 * the result would be longer than MAX_INLINED_CHARS.
 */
export function inlineRecords(expr: string, records: readonly RecordingRule[]): string {
  if (records.length === 0) return expr;
  const byName = new Map<string, RecordingRule[]>();
  for (const r of records) byName.set(r.record, [...(byName.get(r.record) ?? []), r]);
  // Each recording rule is inlined once and reused wherever it is read.
  const done = new Map<RecordingRule, string>();
  const inline = (text: string, depth: number): string => {
    if (depth > 8) throw new RangeError("recording rules refer to each other too deeply to inline");
    let out = "";
    let at = 0;
    for (const s of selectors(text)) {
      const rules = byName.get(s.metric);
      if (!rules) continue;
      if (s.rangeSeconds !== null) throw new RangeError(`${s.text} is read over a range: it cannot be backtested before the rule is recorded`);
      const chosen = rules.filter((r) =>
        s.matchers.every((m) => {
          if (!(m.name in r.labels)) throw new RangeError(`${s.text} filters on ${m.name}, which the recording rule does not set: it cannot be backtested before the rule is recorded`);
          return matches(m, r.labels[m.name]!);
        }),
      );
      const parts = chosen.map((r) => {
        let inlined = done.get(r);
        if (inlined === undefined) {
          inlined = inline(recorded(r), depth + 1);
          done.set(r, inlined);
        }
        return inlined;
      });
      out += text.slice(at, s.from) + `(${parts.length === 0 ? "vector(0) < 0" : parts.join(" or ")})`;
      at = s.to;
      if (out.length > MAX_INLINED_CHARS) throw tooLong();
    }
    out += text.slice(at);
    if (out.length > MAX_INLINED_CHARS) throw tooLong();
    return out;
  };
  return inline(expr, 0);
}

const tooLong = () => new RangeError(`with its recording rules inlined the expression is longer than ${MAX_INLINED_CHARS.toLocaleString("en-US")} characters: record the rules first, then backtest`);

/** The recording rules an expression reads, directly or through other recording rules. */
export function recordsRead(expr: string, records: readonly RecordingRule[]): RecordingRule[] {
  const wanted = new Set<string>();
  const queue = [expr];
  while (queue.length > 0) {
    for (const s of selectors(queue.pop()!)) {
      if (wanted.has(s.metric)) continue;
      const rules = records.filter((r) => r.record === s.metric);
      if (rules.length === 0) continue;
      wanted.add(s.metric);
      queue.push(...rules.map((r) => r.expr));
    }
  }
  return records.filter((r) => wanted.has(r.record));
}
