// Building PromQL from pieces that may come from users or audit logs: every value is escaped, every name validated.

export type MatchOp = "=" | "!=" | "=~" | "!~";
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}

/** A PromQL double-quoted string literal holding exactly `value`. */
export function quoteLabelValue(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return out + '"';
}

/** Escapes regex metacharacters so `value` matches literally inside =~ (RE2 syntax). */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function formatMatcher(m: LabelMatcher): string {
  if (!isLabelName(m.name)) throw new Error(`invalid label name: ${JSON.stringify(m.name)}`);
  return `${m.name}${m.op}${quoteLabelValue(m.value)}`;
}

/** The inside of a `{…}` selector, e.g. `job="apiserver",instance="10.0.0.1:6443"`. */
export function formatMatchers(matchers: readonly LabelMatcher[]): string {
  return matchers.map(formatMatcher).join(",");
}

/** `metric{extra,base}`, with the extra matchers first; an empty list gives `metric`. */
export function selector(metric: string, matchers: string, extra = ""): string {
  const inner = [extra, matchers].filter(Boolean).join(",");
  return inner ? `${metric}{${inner}}` : metric;
}

const MATCHER_RE = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/**
 * Parses `job="apiserver", env=~"prod|staging"` (an optional pair of braces around it) into matchers.
 * Returns an error message instead when the text is not a matcher list.
 */
export function parseMatchers(text: string): LabelMatcher[] | string {
  let body = text.trim();
  if (body.startsWith("{") && body.endsWith("}")) body = body.slice(1, -1).trim();
  if (body === "") return [];
  const out: LabelMatcher[] = [];
  MATCHER_RE.lastIndex = 0;
  while (MATCHER_RE.lastIndex < body.length) {
    const start = MATCHER_RE.lastIndex;
    const m = MATCHER_RE.exec(body);
    if (!m || m.index !== start) return `expected name="value" at "${body.slice(start, start + 20)}"`;
    let value: string;
    try {
      value = JSON.parse(`"${m[3]!}"`) as string;
    } catch {
      return `invalid escape in "${m[3]!}"`;
    }
    out.push({ name: m[1]!, op: m[2] as MatchOp, value });
    if (m[4] === "") break;
  }
  return out;
}
