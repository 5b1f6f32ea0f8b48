// Checks on rules that Prometheus accepts but that page people for nothing, stay silent, or cost the server: alerts
// one scrape can fire, windows too short for rate(), counters read raw, alerts without summary or runbook, duplicate
// names, metrics this Prometheus lacks, and selectors that pull whole high-cardinality histograms.
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import { formatDuration, parseDuration } from "../duration";
import { durationLiteralSeconds, hasCondition, selectors, syntaxProblem } from "./promql-ast";
import { isAlerting, isRecording, type Rule, type RuleGroup } from "./rules";

export type LintSeverity = "error" | "warning" | "info";

export interface LintFinding {
  group: string;
  /** The alert or record name. */
  rule: string;
  code: LintCode;
  severity: LintSeverity;
  message: string;
}

export interface LintContext {
  scrapeIntervalSeconds: number;
  /** Metric names this Prometheus has; null when unknown (the check is then skipped). */
  names: ReadonlySet<string> | null;
  /** Series per metric name, when known. */
  seriesCounts?: ReadonlyMap<string, number>;
}

/** One stable code per kind of finding. */
export const LINT_CODES = {
  syntax: "expr-syntax",
  forShort: "for-too-short",
  rangeShort: "range-too-short",
  counterRaw: "counter-without-rate",
  noSummary: "missing-summary",
  noRunbook: "missing-runbook-url",
  duplicate: "duplicate-alert",
  unknownMetric: "unknown-metric",
  highCardinality: "high-cardinality",
  noCondition: "no-condition",
} as const;
export type LintCode = (typeof LINT_CODES)[keyof typeof LINT_CODES];

/** Above this many series, a selector that nothing aggregates is flagged. */
export const HIGH_CARDINALITY_SERIES = 10_000;

/**
 * Histogram buckets with the most series on an API server (one kube-apiserver 1.34 exposes 800-4,200 of each; a busy
 * cluster many times that, per API server), and cAdvisor's container_* families (series per container).
 */
export const HIGH_CARDINALITY_FAMILIES: readonly string[] = [
  "apiserver_request_duration_seconds_bucket",
  "apiserver_request_sli_duration_seconds_bucket",
  "apiserver_request_slo_duration_seconds_bucket",
  "apiserver_request_body_size_bytes_bucket",
  "apiserver_response_sizes_bucket",
  "apiserver_watch_events_sizes_bucket",
  "apiserver_watch_list_duration_seconds_bucket",
  "apiserver_watch_cache_read_wait_seconds_bucket",
  "etcd_request_duration_seconds_bucket",
];
const HIGH_CARDINALITY_PREFIXES = ["container_"];

const isHighCardinalityFamily = (metric: string) => HIGH_CARDINALITY_FAMILIES.includes(metric) || HIGH_CARDINALITY_PREFIXES.some((p) => metric.startsWith(p));

// Counters by the naming conventions. Names with a colon are recording-rule outputs, whose suffix says nothing.
const isCounterName = (metric: string) => !metric.includes(":") && /_(total|count|sum|bucket)$/.test(metric);

// What may read a counter: the reset-aware range functions; changes() (a reset is a change too) and the functions
// that ask whether series or samples exist; count and group aggregations, which count series, not values.
// delta/idelta/deriv are not here: they read a reset as a huge drop.
const COUNTER_SAFE_FUNCTIONS = new Set(["rate", "irate", "increase", "resets", "changes", "absent", "absent_over_time", "present_over_time", "count_over_time", "timestamp"]);
const COUNTER_SAFE_AGGREGATIONS = new Set(["count", "group"]);
// Functions that hand their argument's series on unchanged apart from labels or order.
const PASS_THROUGH = new Set(["label_replace", "label_join", "sort", "sort_desc", "sort_by_label", "sort_by_label_desc"]);
// Range functions that need two samples in the window to return anything.
const TWO_SAMPLE_FUNCTIONS = new Set(["rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "resets"]);
// Whose result is one series or none, whatever they read.
const REDUCING_FUNCTIONS = new Set(["absent", "absent_over_time", "scalar"]);
// Nodes between a selector and what consumes it.
const WRAPPERS = new Set(["MatrixSelector", "SubqueryExpr", "ParenExpr", "OffsetExpr", "StepInvariantExpr", "FunctionCallBody"]);

interface Consumer {
  kind: "function" | "aggregation" | "none";
  name: string;
}

function functionName(node: SyntaxNode, expr: string): string {
  const id = node.getChild("FunctionIdentifier");
  return id ? expr.slice(id.from, id.to).toLowerCase() : "";
}

function aggregationName(node: SyntaxNode, expr: string): string {
  const op = node.getChild("AggregateOp");
  return op ? expr.slice(op.from, op.to).toLowerCase() : "";
}

/** The function or aggregation whose input the node's series are, looking through wrappers and pass-through functions. */
function consumerOf(node: SyntaxNode, expr: string): Consumer {
  for (let p = node.parent; p; p = p.parent) {
    if (WRAPPERS.has(p.name)) continue;
    if (p.name === "FunctionCall") {
      const name = functionName(p, expr);
      if (PASS_THROUGH.has(name)) continue;
      return { kind: "function", name };
    }
    if (p.name === "AggregateExpr") return { kind: "aggregation", name: aggregationName(p, expr) };
    break;
  }
  return { kind: "none", name: "" };
}

/** Whether an aggregation (or a function returning at most one series) stands between the node and the result. */
function isAggregated(node: SyntaxNode, expr: string): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === "AggregateExpr") return true;
    if (p.name === "FunctionCall" && REDUCING_FUNCTIONS.has(functionName(p, expr))) return true;
  }
  return false;
}

const ZERO_DURATION_RE = /^(0+(ms|s|m|h|d|w|y)?)*$/;
const ruleName = (r: Rule) => (isAlerting(r) ? r.alert : r.record);
const sameLabels = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};

/** Checks of the expression; returns how many series selectors it has. */
function lintExpression(rule: Rule, ctx: LintContext, recorded: ReadonlySet<string>, emit: (code: LintCode, severity: LintSeverity, message: string) => void): number {
  const expr = rule.expr;
  const scrape = ctx.scrapeIntervalSeconds;
  const intervalsKnown = Number.isFinite(scrape) && scrape > 0;
  const tree = parser.parse(expr);

  // Range windows: matrix selectors and subqueries.
  const seenWindows = new Set<string>();
  const vectorNodes: SyntaxNode[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.name === "VectorSelector") vectorNodes.push(ref.node);
      if (!intervalsKnown || (ref.name !== "MatrixSelector" && ref.name !== "SubqueryExpr")) return;
      const d = ref.node.getChild("DurationExpr");
      const seconds = d ? durationLiteralSeconds(expr.slice(d.from, d.to)) : null;
      if (seconds === null || seconds >= 4 * scrape) return;
      const text = expr.slice(d!.from, d!.to);
      const consumer = consumerOf(ref.node, expr);
      const key = `${text}/${consumer.name}`;
      if (seenWindows.has(key)) return;
      seenWindows.add(key);
      const fn = consumer.kind === "function" ? `${consumer.name}()` : "the function";
      const suggestion = formatDuration(4 * scrape);
      if (seconds < 2 * scrape && TWO_SAMPLE_FUNCTIONS.has(consumer.name)) {
        emit(
          LINT_CODES.rangeShort,
          "error",
          `The window [${text}] is shorter than two scrape intervals (${formatDuration(scrape)} each), so it mostly holds one sample and ${fn} returns nothing. Use [${suggestion}] or more.`,
        );
      } else {
        emit(
          LINT_CODES.rangeShort,
          "warning",
          `The window [${text}] is shorter than four scrape intervals (4 × ${formatDuration(scrape)} = ${suggestion}): one missed or late scrape leaves ${fn} with too few samples and the result gaps. Use [${suggestion}] or more.`,
        );
      }
    },
  });

  const refs = selectors(expr);
  // selectors() walks the same tree in the same order, one entry per VectorSelector.
  if (refs.length !== vectorNodes.length) return refs.length;
  const flagged = new Set<string>();
  refs.forEach((ref, i) => {
    const node = vectorNodes[i]!;
    const metric = ref.metric;
    if (metric === "") return;
    const once = (code: LintCode, severity: LintSeverity, message: string) => {
      if (flagged.has(`${code} ${metric}`)) return;
      flagged.add(`${code} ${metric}`);
      emit(code, severity, message);
    };
    if (ctx.names && !recorded.has(metric) && !ctx.names.has(metric)) {
      once(
        LINT_CODES.unknownMetric,
        "warning",
        `This Prometheus has no series named ${metric}. Check the name (and the version of the component that exports it) and that its job is scraped; until then the rule ${isAlerting(rule) ? "never fires" : "records nothing"}.`,
      );
    }
    if (isCounterName(metric) && !recorded.has(metric)) {
      const consumer = consumerOf(node, expr);
      const safe = consumer.kind === "function" ? COUNTER_SAFE_FUNCTIONS.has(consumer.name) : consumer.kind === "aggregation" && COUNTER_SAFE_AGGREGATIONS.has(consumer.name);
      if (!safe) {
        const window = intervalsKnown ? formatDuration(Math.max(4 * scrape, 60)) : "5m";
        const how =
          consumer.kind === "function"
            ? `is read by ${consumer.name}()${["delta", "idelta", "deriv"].includes(consumer.name) ? ", which takes each counter reset for a huge drop" : ", which sees its ever-growing total, reset to 0 whenever the process restarts"}`
            : consumer.kind === "aggregation"
              ? `is aggregated with ${consumer.name} before any rate, so restarts show up as drops and the value only grows`
              : "is read raw: its value only grows and drops to 0 whenever the process restarts";
        once(LINT_CODES.counterRaw, "warning", `${metric} is a counter and ${how}. Read it through rate(), irate() or increase() over a range, e.g. rate(${metric}[${window}]).`);
      }
    }
    if (!isAggregated(node, expr)) {
      const count = ctx.seriesCounts?.get(metric);
      if (count !== undefined && count > HIGH_CARDINALITY_SERIES) {
        once(
          LINT_CODES.highCardinality,
          "warning",
          `${metric} has ${count.toLocaleString("en-US")} series here and nothing aggregates them: every evaluation loads them all and the result keeps one series per input${isAlerting(rule) ? " (one alert each)" : ""}. Narrow it with label matchers and aggregate, e.g. sum by (…) (…), or read a recording rule.`,
        );
      } else if (ref.matchers.length === 0 && isHighCardinalityFamily(metric)) {
        once(
          LINT_CODES.highCardinality,
          "warning",
          `${metric} is selected with no label matchers and nothing aggregates it: that is every series of a high-cardinality family (thousands per API server or node)${isAlerting(rule) ? ", one alert each" : ""}. Add matchers such as job and aggregate, e.g. sum by (le) (rate(${metric}{job="…"}[5m])).`,
        );
      }
    }
  });
  return refs.length;
}

/** Findings for every rule of the groups, in rule order; duplicates are judged across all groups. */
export function lintRules(groups: readonly RuleGroup[], ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  const recorded = new Set(groups.flatMap((g) => g.rules.filter(isRecording).map((r) => r.record)));
  const scrape = ctx.scrapeIntervalSeconds;
  const intervalsKnown = Number.isFinite(scrape) && scrape > 0;
  const alertsSeen = new Map<string, Array<{ group: string; labels: Record<string, string> }>>();

  for (const group of groups) {
    for (const rule of group.rules) {
      const name = ruleName(rule);
      const emit = (code: LintCode, severity: LintSeverity, message: string) => out.push({ group: group.name, rule: name, code, severity, message });
      const problem = syntaxProblem(rule.expr);
      let selectorCount = 0;
      if (problem) emit(LINT_CODES.syntax, "error", `The expression does not parse: ${problem.message} (character ${problem.from + 1}).`);
      else selectorCount = lintExpression(rule, ctx, recorded, emit);

      if (!isAlerting(rule)) continue;
      // A constant (vector(1)) is a watchdog that fires on purpose.
      if (!problem && selectorCount > 0 && !hasCondition(rule.expr)) {
        emit(LINT_CODES.noCondition, "warning", "The expression has no comparison: every series it returns is an alert, all the time. Add a threshold, e.g. \"… > 100\", or absent() for a missing series.");
      }
      // parseDuration has no zero; a for that is no duration at all is the editor's to report.
      const forSeconds = ZERO_DURATION_RE.test(rule.for) ? 0 : parseDuration(rule.for);
      // An alert on a constant (vector(1), a watchdog) reads no scrape, so no scrape can fire it by accident.
      if (intervalsKnown && selectorCount > 0 && forSeconds !== null) {
        if (forSeconds < 2 * scrape) {
          const min = formatDuration(2 * scrape);
          emit(
            LINT_CODES.forShort,
            "warning",
            forSeconds === 0
              ? `No for: a single scrape can fire it, so one odd sample pages someone. Set for to at least ${min} (two scrape intervals of ${formatDuration(scrape)}).`
              : `for: ${rule.for} is shorter than two scrape intervals (2 × ${formatDuration(scrape)}), so a single scrape can fire it. Set for to at least ${min}.`,
          );
        }
      }
      if (!rule.annotations.summary?.trim()) {
        emit(LINT_CODES.noSummary, "warning", "No summary annotation: notifications show little more than the alert name. Add a one-line summary of what is wrong, e.g. \"API server errors above 5%\".");
      }
      if (!rule.annotations.runbook_url?.trim()) {
        emit(LINT_CODES.noRunbook, "info", "No runbook_url annotation: whoever is paged has no page to start from. Link the steps to diagnose and fix it.");
      }

      const earlier = alertsSeen.get(rule.alert) ?? [];
      if (earlier.length > 0) {
        const twin = earlier.find((e) => sameLabels(e.labels, rule.labels));
        if (twin) {
          emit(
            LINT_CODES.duplicate,
            "warning",
            `The alert ${rule.alert} is also defined in group ${twin.group} with the same labels: when both fire for the same series, Alertmanager sees one alert and neither tells which rule fired. Rename one, or tell them apart with a label (e.g. severity).`,
          );
        } else {
          // Several rules of one name that differ in labels (severity, or long/short windows as in the mixin's
          // KubeAPIErrorBudgetBurn) is the usual multi-window, multi-severity pattern.
          const severities = [...new Set([...earlier.map((e) => e.labels.severity ?? "(none)"), rule.labels.severity ?? "(none)"])];
          emit(
            LINT_CODES.duplicate,
            "info",
            `The alert ${rule.alert} is also defined in group ${earlier[0]!.group} with other labels${severities.length > 1 ? ` (severity ${severities.join(", ")})` : ""}; fine for multi-window or multi-severity alerts, as long as that is the intent.`,
          );
        }
      }
      earlier.push({ group: group.name, labels: rule.labels });
      alertsSeen.set(rule.alert, earlier);
    }
  }
  return out;
}
