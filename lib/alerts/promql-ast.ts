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
}

const MAX_EXPR = 20_000;

function parse(expr: string): Tree {
  return parser.parse(expr);
}

/** The first syntax error, or null when the expression parses. */
export function syntaxProblem(expr: string): SyntaxProblem | null {
  if (expr.trim() === "") return { from: 0, to: 0, message: "the expression is empty" };
  if (expr.length > MAX_EXPR) return { from: 0, to: expr.length, message: `the expression is longer than ${MAX_EXPR} characters` };
  let problem: SyntaxProblem | null = null;
  parse(expr).iterate({
    enter: (n) => {
      if (problem) return false;
      if (n.type.isError) {
        const near = expr.slice(Math.max(0, n.from - 10), n.to + 10).trim();
        problem = {
          from: n.from,
          to: Math.max(n.to, n.from + 1),
          message: n.from >= expr.length ? "the expression ends too early" : `unexpected input near ${JSON.stringify(near)}`,
        };
        return false;
      }
      return undefined;
    },
  });
  return problem;
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
      case "u": case "U": return String.fromCodePoint(parseInt(e.slice(1), 16));
      case "x": return String.fromCharCode(parseInt(e.slice(1), 16));
      default: return /^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds of a PromQL duration literal such as 5m, 1h30m or 90 (seconds); null when it is not one. */
export function durationLiteralSeconds(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = text.match(/\d+(ms|s|m|h|d|w|y)/g);
  if (!parts || parts.join("") !== text) return null;
  return parts.reduce((sum, p) => {
    const [, n, unit] = p.match(/^(\d+)(ms|s|m|h|d|w|y)$/)!;
    return sum + Number(n) * UNIT_SECONDS[unit!]!;
  }, 0);
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

function numberValue(node: SyntaxNode, expr: string): number | null {
  const text = expr.slice(node.from, node.to).trim();
  if (node.name === "NumberDurationLiteral") {
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  if (node.name === "ParenExpr" && node.firstChild) return numberValue(node.firstChild, expr);
  if (node.name === "UnaryExpr") {
    const inner = node.lastChild;
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
  let top = parse(expr).topNode.firstChild;
  while (top && top.name === "ParenExpr" && top.firstChild) top = top.firstChild;
  if (!top || top.name !== "BinaryExpr") return null;
  let opNode: SyntaxNode | null = null;
  for (let c = top.firstChild; c; c = c.nextSibling) if (COMPARISONS[c.name]) opNode = c;
  if (!opNode || top.getChild("BoolModifier")) return null;
  const lhs = top.firstChild!;
  const rhs = top.lastChild!;
  const value = numberValue(rhs, expr);
  if (value === null) return null;
  return { lhs: expr.slice(lhs.from, lhs.to).trim(), op: COMPARISONS[opNode.name]!, value };
}
