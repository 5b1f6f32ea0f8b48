// "Keep this incident as a test of your alerts": a `promtool test rules` file whose input series are the rules'
// input series captured over the incident window (lib/alerts/capture.ts) and whose expectations are the backtest's
// answers at chosen evaluation times. Run in CI against the rule file, it fails when a change to the rules would
// have changed *when* they fired during the incident.
//
// promtool starts its clock at the first input sample: time 0 here is `startSeconds`, and the rule groups are
// evaluated every `evaluation_interval` from there, so expectation times must sit on that grid.
import { toYamlStream } from "../export/yaml";
import type { StateSpan } from "./backtest";
import { isTemplateFree, renderTemplate } from "./go-template";
import { isAlerting, type AlertingRule, type RuleGroup } from "./rules";

/** What one regression test may hold: a test file stays reviewable and promtool stays fast. */
export const REGRESSION_LIMITS = {
  /** Input series across all rules. */
  series: 200,
  /** Samples per input series: the window divided by the sample step. */
  samplesPerSeries: 2_000,
  /** Evaluation times checked per alerting rule. */
  evalTimesPerRule: 20,
} as const;

/**
 * The sample step for a window: the smallest multiple of the interval (the scrape or evaluation interval) that keeps
 * every series within REGRESSION_LIMITS.samplesPerSeries samples.
 */
export function regressionStep(windowSeconds: number, intervalSeconds: number): number {
  if (!(intervalSeconds > 0)) throw new RangeError("the interval must be positive");
  // floor(window / step) + 1 samples fit when step > window / samplesPerSeries.
  const k = Math.max(1, Math.floor(windowSeconds / (intervalSeconds * REGRESSION_LIMITS.samplesPerSeries)) + 1);
  return k * intervalSeconds;
}

/**
 * The rules under test: the same groups with alert annotations removed. promtool compares annotations exactly and
 * `{{ $value }}` changes once samples are resampled; the test is about when rules fire. Recording rules are kept:
 * the alerts read what they record.
 */
export function testedRuleFile(groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((g) => ({ ...g, rules: g.rules.map((r) => (isAlerting(r) ? { ...r, annotations: {} } : r)) }));
}

/** A sample value as promtool reads it (Go's ParseFloat reads JavaScript's shortest round-trip form exactly). */
function sampleText(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Inf" : "-Inf";
  return String(v);
}

/**
 * promtool's expanding notation: `_` for a missing sample, `_xN` for N of them, `axN` for a repeated N more times,
 * `a+bxN` / `a-bxN` for a and N more samples each b apart. promtool expands a run by adding b repeatedly in float64,
 * so a run is only written where that addition reproduces every value exactly.
 */
export function encodeSeriesValues(values: ReadonlyArray<number | null>): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; ) {
    const v = values[i];
    if (v === null || v === undefined) {
      let j = i;
      while (j < values.length && (values[j] === null || values[j] === undefined)) j++;
      out.push(j - i === 1 ? "_" : `_x${j - i}`);
      i = j;
      continue;
    }
    const next = values[i + 1];
    if (!Number.isFinite(v) || next === null || next === undefined || !Number.isFinite(next)) {
      out.push(sampleText(v));
      i++;
      continue;
    }
    const step = next - v;
    let j = i + 1; // last index of the run
    let acc = v;
    while (j < values.length) {
      const w = values[j];
      if (w === null || w === undefined || acc + step !== w) break;
      acc = w;
      j++;
    }
    const n = j - 1 - i; // further samples after the first
    if (n < 2 || !Number.isFinite(step)) {
      out.push(sampleText(v));
      i++;
      continue;
    }
    out.push(step === 0 ? `${sampleText(v)}x${n}` : `${sampleText(v)}${step < 0 ? "-" : "+"}${sampleText(Math.abs(step))}x${n}`);
    i = j;
  }
  return out.join(" ");
}

interface BacktestLike {
  series: ReadonlyArray<{ spans: readonly StateSpan[] }>;
}

export interface ChooseOptions {
  /** How far every series' state must stay unchanged on both sides of a chosen time. */
  marginMs: number;
  /** At most this many times (REGRESSION_LIMITS.evalTimesPerRule when left out). */
  max?: number;
  /** The rule's keep_firing_for: how long an alert from before the window could still be firing inside it. */
  keepFiringForMs?: number;
}

/**
 * Evaluation times to check: each well inside a stretch where every series' state is stable for `marginMs` on both
 * sides, so a transition that moves by less than the margin (resampled counters shift rate() slightly) cannot change
 * the expected answer. Chosen, in this order of priority: the first stable moment inside each firing span and the
 * last quiet one before the first span (together they bracket when the alert fired), the last stable moment of each
 * firing span that resolved, one inside each pending span, a few moments with nothing active, and the middle of each
 * firing span. A span too short to hold a stable time gets none.
 *
 * The window's start is not stable either: promtool evaluates the captured lookback before it, so an alert pending
 * at the first evaluation may already be firing there, and one that fired before the window may be kept firing
 * into it. Such a pending span, and keep_firing_for after it (or after the start), are left out. A series firing
 * at the start is certain: present means firing in both.
 */
export function chooseEvalTimes(backtest: BacktestLike, evalTimesMs: readonly number[], options: ChooseOptions): number[] {
  const max = options.max ?? REGRESSION_LIMITS.evalTimesPerRule;
  const keep = options.keepFiringForMs ?? 0;
  const margin = options.marginMs;
  const times = [...evalTimesMs].sort((a, b) => a - b);
  const first = times[0];
  const last = times.at(-1);
  if (first === undefined || last === undefined || max <= 0) return [];

  const boundaries: number[] = [];
  let uncertainUntil = keep > 0 ? first + keep : -Infinity;
  for (const s of backtest.series) {
    for (const span of s.spans) {
      boundaries.push(span.fromMs);
      if (span.ended) boundaries.push(span.toMs);
    }
    const opening = s.spans[0];
    if (opening && opening.fromMs <= first && opening.state === "pending") {
      uncertainUntil = Math.max(uncertainUntil, (opening.ended ? opening.toMs : Infinity) + keep);
    }
  }
  if (uncertainUntil > -Infinity) boundaries.push(uncertainUntil);
  const stable = times.filter(
    (t) => t - margin >= first && t + margin <= last && t >= uncertainUntil && boundaries.every((b) => Math.abs(t - b) >= margin),
  );

  const nearest = (candidates: number[], target: number) =>
    candidates.reduce<number | null>((best, t) => (best === null || Math.abs(t - target) < Math.abs(best - target) ? t : best), null);
  const inside = (span: StateSpan) => stable.filter((t) => span.fromMs <= t && t < span.toMs);
  const spans = backtest.series.flatMap((s) => s.spans);
  const mid = (span: StateSpan) => (span.fromMs + span.toMs) / 2;

  const firing = spans.filter((x) => x.state === "firing");
  const fired = firing.flatMap((x) => inside(x)[0] ?? []);
  const resolved = firing.filter((x) => x.ended).flatMap((x) => inside(x).at(-1) ?? []);
  const middles = firing.flatMap((x) => nearest(inside(x), mid(x)) ?? []);
  const pending = spans.filter((x) => x.state === "pending").flatMap((x) => nearest(inside(x), mid(x)) ?? []);
  const firstSpan = Math.min(...spans.map((x) => x.fromMs));
  const before = stable.filter((t) => t < firstSpan).slice(-1);
  const quiet = stable.filter((t) => spans.every((x) => !(x.fromMs <= t && t < x.toMs)));
  const lastEnd = Math.max(...spans.map((x) => x.toMs));
  // After everything resolved, then spread over the rest; more of them when nothing ever fired.
  const quietPicks = [...quiet.filter((t) => t >= lastEnd).slice(0, 1), ...spread(quiet, spans.length === 0 ? 5 : 3)];

  const chosen: number[] = [];
  const add = (ts: number[], room = max) => {
    for (const t of ts) if (chosen.length < room && !chosen.includes(t)) chosen.push(t);
  };
  add(spread(unique(fired), max));
  add(before);
  add(unique(resolved));
  add(unique(pending));
  add(quietPicks);
  add(unique(middles));
  return chosen.sort((a, b) => a - b);
}

const unique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** Up to n items spread evenly over xs, ends included. */
function spread(xs: number[], n: number): number[] {
  if (xs.length <= n) return [...xs];
  if (n === 1) return [xs[Math.floor(xs.length / 2)]!];
  return unique(Array.from({ length: n }, (_, k) => xs[Math.round((k * (xs.length - 1)) / (n - 1))]!));
}

/** The alert series the backtest has firing at `tMs`. */
export function alertsFiringAt(backtest: { series: ReadonlyArray<{ labels: Record<string, string>; spans: readonly StateSpan[] }> }, tMs: number): Array<{ labels: Record<string, string> }> {
  return backtest.series.filter((s) => s.spans.some((x) => x.state === "firing" && x.fromMs <= tMs && tMs < x.toMs)).map((s) => ({ labels: { ...s.labels } }));
}

export interface InputSeries {
  /** The series' labels, its metric name as __name__. */
  labels: Record<string, string>;
  /** One value per step from `startSeconds`; null where the series had no sample. */
  values: ReadonlyArray<number | null>;
}

export interface Expectation {
  /** Absolute evaluation time, in seconds. */
  evalSeconds: number;
  alertname: string;
  /** The alert series firing then, with the labels the expression gave them (the rule's labels are added here). */
  alerts: ReadonlyArray<{ labels: Record<string, string> }>;
}

export interface RegressionTestInput {
  /** The rule file as the test names it, relative to the test file. */
  ruleFileName: string;
  groups: readonly RuleGroup[];
  /** The groups' evaluation interval. */
  intervalSeconds: number;
  /** Seconds between input samples. */
  stepSeconds: number;
  /** Time of the first input sample: promtool's time 0. */
  startSeconds: number;
  inputSeries: readonly InputSeries[];
  expectations: readonly Expectation[];
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A Go double-quoted string, as promtool's series parser reads it; control characters escaped for readability. */
function quoteSeriesValue(v: string): string {
  let out = '"';
  for (const ch of v) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp < 0xe000) throw new RangeError(`a label value holds an unpaired surrogate: ${JSON.stringify(v)}`);
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

function checkLabelName(name: string) {
  // promtool 2.x reads only legacy names in series and test files.
  if (!LABEL_NAME.test(name)) throw new RangeError(`the label name ${JSON.stringify(name)} cannot be written in a promtool test: only [a-zA-Z_][a-zA-Z0-9_]* names can`);
}

/** PromQL series notation with every value escaped: `metric{a="x\"y"}`. */
export function seriesNotation(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const entries = Object.entries(rest)
    .filter(([, v]) => v !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = entries.map(([k, v]) => {
    checkLabelName(k);
    return `${k}=${quoteSeriesValue(v)}`;
  });
  if (name !== undefined && name !== "" && METRIC_NAME.test(name)) return `${name}{${parts.join(",")}}`;
  if (name !== undefined && name !== "") parts.unshift(`__name__=${quoteSeriesValue(name)}`);
  if (parts.length === 0) throw new RangeError("an input series has no labels");
  return `{${parts.join(",")}}`;
}

/** A Prometheus duration for a non-negative number of seconds: 0s, 90s → 1m30s, 1.5 → 1s500ms. */
export function promDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms < 0) throw new RangeError("a duration cannot be negative");
  if (ms === 0) return "0s";
  let out = "";
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) out += `${n}${unit}`;
    ms -= n * size;
  }
  return out;
}

/** The labels a rule adds to its alerts, expanded for one alert; throws when they depend on the value. */
function ruleLabelsFor(rule: AlertingRule, alertLabels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rule.labels)) {
    checkLabelName(k);
    let value = v;
    if (!isTemplateFree(v)) {
      const a = renderTemplate(v, { labels: alertLabels, value: 0 });
      const b = renderTemplate(v, { labels: alertLabels, value: 1 });
      if (!a.ok || !b.ok || a.text !== b.text) {
        throw new RangeError(`rule ${rule.alert}'s label ${k} is a template whose expansion this test cannot pin down: ${!a.ok ? a.message : !b.ok ? b.message : "it depends on the value"}`);
      }
      value = a.text;
    }
    out[k] = value;
  }
  return out;
}

/** The promtool test file, as YAML. */
export function regressionTestYaml(input: RegressionTestInput): string {
  const { intervalSeconds, stepSeconds, startSeconds } = input;
  if (!(intervalSeconds > 0) || !(stepSeconds > 0)) throw new RangeError("the interval and step must be positive");
  if (input.inputSeries.length > REGRESSION_LIMITS.series) {
    throw new RangeError(`${input.inputSeries.length} input series are more than the ${REGRESSION_LIMITS.series} a regression test holds`);
  }
  const seen = new Set<string>();
  const inputSeries = input.inputSeries.map((s) => {
    if (s.values.length > REGRESSION_LIMITS.samplesPerSeries) {
      throw new RangeError(`${s.values.length} samples per series are more than the ${REGRESSION_LIMITS.samplesPerSeries} a regression test holds: use a longer step`);
    }
    const series = seriesNotation(s.labels);
    if (seen.has(series)) throw new RangeError(`the input series ${series} appears twice`);
    seen.add(series);
    return { series, values: encodeSeriesValues(s.values) };
  });

  const rules = new Map<string, AlertingRule[]>();
  for (const g of input.groups) for (const r of g.rules) if (isAlerting(r)) rules.set(r.alert, [...(rules.get(r.alert) ?? []), r]);

  const byKey = new Map<string, { evalSeconds: number; alertname: string; alerts: Map<string, Record<string, string>> }>();
  for (const e of input.expectations) {
    const candidates = rules.get(e.alertname) ?? [];
    if (candidates.length === 0) throw new RangeError(`no alerting rule is named ${e.alertname}`);
    if (candidates.length > 1) throw new RangeError(`several alerting rules are named ${e.alertname}: a promtool test tells alerts apart by name`);
    const rel = e.evalSeconds - startSeconds;
    const ticks = rel / intervalSeconds;
    if (rel < 0 || Math.abs(ticks - Math.round(ticks)) > 1e-9) {
      throw new RangeError(`the evaluation time ${e.evalSeconds} is not on the evaluation grid from ${startSeconds} every ${intervalSeconds}s`);
    }
    const key = `${e.evalSeconds}\u0000${e.alertname}`;
    const entry = byKey.get(key) ?? { evalSeconds: e.evalSeconds, alertname: e.alertname, alerts: new Map() };
    byKey.set(key, entry);
    for (const a of e.alerts) {
      // Prometheus' alert labels: the series' labels without the metric name, overridden by the rule's; none empty.
      const { __name__: _name, ...own } = a.labels;
      const labels = Object.fromEntries(
        Object.entries({ ...own, ...ruleLabelsFor(candidates[0]!, own) })
          .filter(([k, v]) => v !== "" && k !== "alertname")
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
      );
      Object.keys(labels).forEach(checkLabelName);
      entry.alerts.set(JSON.stringify(labels), labels);
    }
  }
  const alertRuleTest = [...byKey.values()]
    .sort((a, b) => a.evalSeconds - b.evalSeconds || (a.alertname < b.alertname ? -1 : a.alertname > b.alertname ? 1 : 0))
    .map((e) => ({
      eval_time: promDuration(e.evalSeconds - startSeconds),
      alertname: e.alertname,
      exp_alerts: [...e.alerts.values()].map((labels) => ({ exp_labels: labels })),
    }));

  return toYamlStream([
    {
      rule_files: [input.ruleFileName],
      evaluation_interval: promDuration(intervalSeconds),
      tests: [
        {
          interval: promDuration(stepSeconds),
          input_series: inputSeries,
          alert_rule_test: alertRuleTest,
        },
      ],
    },
  ]);
}
