// PromQL read with the same parser the editor uses (@prometheus-io/lezer-promql): syntax errors with positions, the
// series selectors an expression reads, its range windows, and the threshold of an alerting expression.
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode, Tree } from "@lezer/common";
import type { LabelMatcher, MatchOp } from "../promql";

export interface SyntaxProblem {
  from: number;
  to: number;
  message: string;
}

export interface SelectorRef {
  /** The selector as written, without range or offset. */
  text: string;
  /** The metric name, from the identifier or a `__name__="…"` matcher; "" when neither names one. */
  metric: string;
  matchers: LabelMatcher[];
  /** Window of a range selector or subquery around it, in seconds; null for an instant selector. */
  rangeSeconds: number | null;
  /** The function the selector (or its range) is the argument of, lower-case; "" when none. */
  fn: string;
  /** Where the selector stands in the expression. */
  from: number;
  to: number;
}

const MAX_EXPR = 20_000;
// The parser builds its tree recursively and overflows the stack at a few thousand levels; expressions nested (or
// chained) deeper than this are not parsed at all.
const MAX_NESTING = 500;
// Strict: stop at the first syntax error. Recovering from errors (as the editor does) costs up to a second on 20,000
// characters of garbage such as ")))…", and only the first error is reported anyway.
const strictParser = parser.configure({ strict: true });

/**
 * An upper bound on the depth of the expression's tree: the deepest ( and [ plus every operator outside strings,
 * comments and label matchers (a chain `a + b + c` nests one level per operator). An unterminated string or an
 * unclosed { hides nothing: the scan reads on as if the quote or brace were not there.
 */
function nestingBound(expr: string): number {
  let depth = 0;
  let max = 0;
  let ops = 0;
  let braces = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      for (; j < expr.length && expr[j] !== c && (c === "`" || expr[j] !== "\n"); j++) if (expr[j] === "\\" && c !== "`") j++;
      if (expr[j] === c) i = j;
    } else if (c === "#") {
      const nl = expr.indexOf("\n", i);
      if (nl === -1) break;
      i = nl;
    } else if (c === "(" || c === "[") max = Math.max(max, ++depth);
    else if (c === ")" || c === "]") depth = Math.max(0, depth - 1);
    else if (c === "{") braces++;
    else if (c === "}") braces = Math.max(0, braces - 1);
    else if (braces > 0) continue;
    else if ("+-*/%^<>=!@".includes(c)) ops++;
    else if (/[a-zA-Z_]/.test(c)) {
      let j = i + 1;
      while (j < expr.length && /[\w:]/.test(expr[j]!)) j++;
      if (/^(and|or|unless|atan2|offset)$/i.test(expr.slice(i, j))) ops++;
      i = j - 1;
    }
  }
  return max + ops;
}

const EMPTY_TREE = parser.parse("");

/** The expression's tree; an empty one when it is nested too deeply to build safely. */
function parse(expr: string): Tree {
  return nestingBound(expr) > MAX_NESTING ? EMPTY_TREE : parser.parse(expr);
}

/** The first syntax error, or null when the expression parses. */
export function syntaxProblem(expr: string): SyntaxProblem | null {
  if (expr.trim() === "") return { from: 0, to: 0, message: "the expression is empty" };
  if (expr.length > MAX_EXPR) return { from: 0, to: expr.length, message: `the expression is longer than ${MAX_EXPR} characters` };
  if (nestingBound(expr) > MAX_NESTING) return { from: 0, to: expr.length, message: `the expression nests or chains more than ${MAX_NESTING} brackets and operators` };
  try {
    strictParser.parse(expr);
    return null;
  } catch (e) {
    const at = e instanceof SyntaxError ? /No parse at (\d+)/.exec(e.message) : null;
    if (!at) throw e;
    const from = Math.min(Number(at[1]), expr.length);
    const near = expr.slice(Math.max(0, from - 10), from + 10).trim();
    return { from, to: from + 1, message: from >= expr.length ? "the expression ends too early" : `unexpected input near ${JSON.stringify(near)}` };
  }
}

const OPS: Record<string, MatchOp> = { EqlSingle: "=", Neq: "!=", EqlRegex: "=~", NeqRegex: "!~" };

/** A PromQL string literal's value (double, single or back-quoted). */
export function unquote(literal: string): string {
  const q = literal[0];
  const body = literal.slice(1, -1);
  if (q === "`") return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "a": return "\x07";
      case "b": return "\b";
      case "f": return "\f";
      case "v": return "\v";
      case "u": case "U": {
        // The grammar accepts any 8 hex digits; a value that is no Unicode scalar (PromQL rejects it) must not throw.
        const cp = parseInt(e.slice(1), 16);
        return cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(cp);
      }
      case "x": return String.fromCharCode(parseInt(e.slice(1), 16));
      default: return /^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const DURATION_UNITS = ["y", "w", "d", "h", "m", "s", "ms"];
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Seconds of a PromQL duration literal such as 5m, 1h30m or 90 (seconds); null when it is not one. */
export function durationLiteralSeconds(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  // As Prometheus parses durations: units largest first, each at most once ("1h1h" and "30m1h" are errors).
  const m = DURATION_RE.exec(text);
  if (!m || text === "") return null;
  return DURATION_UNITS.reduce((sum, unit, i) => sum + Number(m[i + 1] ?? 0) * UNIT_SECONDS[unit]!, 0);
}

function matchersOf(node: SyntaxNode, expr: string): LabelMatcher[] {
  const out: LabelMatcher[] = [];
  const list = node.getChild("LabelMatchers");
  if (!list) return out;
  for (let m = list.firstChild; m; m = m.nextSibling) {
    if (m.name !== "UnquotedLabelMatcher" && m.name !== "QuotedLabelMatcher") continue;
    const nameNode = m.getChild("LabelName") ?? m.getChild("QuotedLabelName")?.getChild("StringLiteral");
    const op = m.getChild("MatchOp")?.firstChild?.name;
    const values = m.getChildren("StringLiteral");
    const value = values[values.length - 1];
    if (!nameNode || !op || !value) continue;
    const rawName = expr.slice(nameNode.from, nameNode.to);
    out.push({ name: nameNode.name === "StringLiteral" ? unquote(rawName) : rawName, op: OPS[op] ?? "=", value: unquote(expr.slice(value.from, value.to)) });
  }
  // A name-only quoted matcher ({"metric"}) names the metric.
  for (let m = list.firstChild; m; m = m.nextSibling) {
    if (m.name === "QuotedLabelName") out.push({ name: "__name__", op: "=", value: unquote(expr.slice(m.from, m.to)) });
  }
  return out;
}

function rangeOf(node: SyntaxNode, expr: string): number | null {
  const parent = node.parent;
  if (!parent || (parent.name !== "MatrixSelector" && parent.name !== "SubqueryExpr")) return null;
  const d = parent.getChild("DurationExpr");
  return d ? durationLiteralSeconds(expr.slice(d.from, d.to)) : null;
}

function enclosingFunction(node: SyntaxNode, expr: string): string {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === "FunctionCall") {
      const id = p.getChild("FunctionIdentifier");
      return id ? expr.slice(id.from, id.to).toLowerCase() : "";
    }
    if (p.name !== "MatrixSelector" && p.name !== "SubqueryExpr" && p.name !== "FunctionCallBody" && p.name !== "OffsetExpr" && p.name !== "StepInvariantExpr" && p.name !== "ParenExpr") return "";
  }
  return "";
}

/** Every series selector of a parsed expression, in order. */
export function selectors(expr: string): SelectorRef[] {
  const out: SelectorRef[] = [];
  const tree = parse(expr);
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== "VectorSelector") return undefined;
      const node = ref.node;
      const id = node.getChild("Identifier");
      const matchers = matchersOf(node, expr);
      const nameMatcher = matchers.find((m) => m.name === "__name__" && m.op === "=");
      out.push({
        text: expr.slice(node.from, node.to),
        metric: id ? expr.slice(id.from, id.to) : (nameMatcher?.value ?? ""),
        matchers: matchers.filter((m) => m !== nameMatcher),
        rangeSeconds: rangeOf(node, expr),
        fn: enclosingFunction(node, expr),
        from: node.from,
        to: node.to,
      });
      return false;
    },
  });
  return out;
}

/** The metric names an expression reads. */
export function metricNames(expr: string): string[] {
  return [...new Set(selectors(expr).map((s) => s.metric).filter(Boolean))];
}

export type ComparisonOp = ">" | ">=" | "<" | "<=" | "==" | "!=";
const COMPARISONS: Record<string, ComparisonOp> = { Gtr: ">", Gte: ">=", Lss: "<", Lte: "<=", Eql: "==", Neq: "!=" };

export interface Threshold {
  /** The expression being compared, charted as the rule's value. */
  lhs: string;
  op: ComparisonOp;
  value: number;
}

// Comments are kept in the tree as LineComment nodes, anywhere between tokens.
const isComment = (n: SyntaxNode) => n.name === "LineComment";
function firstChild(node: SyntaxNode): SyntaxNode | null {
  let c = node.firstChild;
  while (c && isComment(c)) c = c.nextSibling;
  return c;
}
function lastChild(node: SyntaxNode): SyntaxNode | null {
  let c = node.lastChild;
  while (c && isComment(c)) c = c.prevSibling;
  return c;
}

function numberValue(node: SyntaxNode, expr: string): number | null {
  const text = expr.slice(node.from, node.to).trim();
  if (node.name === "NumberDurationLiteral") {
    // The literal keeps a sign written apart from its digits ("- 2").
    const n = Number(text.replace(/^([+-])\s+/, "$1"));
    return Number.isFinite(n) ? n : null;
  }
  const first = firstChild(node);
  if (node.name === "ParenExpr" && first) return numberValue(first, expr);
  if (node.name === "UnaryExpr") {
    const inner = lastChild(node);
    const v = inner ? numberValue(inner, expr) : null;
    return v === null ? null : text.startsWith("-") ? -v : v;
  }
  return null;
}

/**
 * `lhs > 0.05` style alerting expressions, split: the compared expression and a constant threshold. Null when the
 * top of the expression is not such a comparison (no `bool`), e.g. `absent(up)` or `a > b`.
 */
export function splitThreshold(expr: string): Threshold | null {
  if (syntaxProblem(expr)) return null;
  let top = firstChild(parse(expr).topNode);
  while (top && top.name === "ParenExpr") top = firstChild(top);
  if (!top || top.name !== "BinaryExpr") return null;
  let opNode: SyntaxNode | null = null;
  for (let c = top.firstChild; c; c = c.nextSibling) if (COMPARISONS[c.name]) opNode = c;
  if (!opNode || top.getChild("BoolModifier")) return null;
  const lhs = firstChild(top);
  const rhs = lastChild(top);
  if (!lhs || !rhs) return null;
  const value = numberValue(rhs, expr);
  if (value === null) return null;
  return { lhs: expr.slice(lhs.from, lhs.to).trim(), op: COMPARISONS[opNode.name]!, value };
}

const FILTER_FUNCTIONS = new Set(["absent", "absent_over_time"]);

/**
 * Whether the expression selects when to alert at all: a comparison, `and`/`unless`, or absent(). Without one,
 * every series it returns is an alert, all the time.
 */
export function hasCondition(expr: string): boolean {
  let found = false;
  parse(expr).iterate({
    enter: (n) => {
      if (found) return false;
      if (COMPARISONS[n.name] !== undefined || n.name === "And" || n.name === "Unless") found = true;
      if (n.name === "FunctionIdentifier" && FILTER_FUNCTIONS.has(expr.slice(n.from, n.to).toLowerCase())) found = true;
      return undefined;
    },
  });
  return found;
}
