// The workbench's draft: the rules being written, as data small enough for a URL, so a link shares the draft. A rule
// is a template with parameter overrides, or a hand-written / imported rule; either may have its expression,
// labels and annotations edited. Resolving a draft gives the rules to backtest and export.
import { buildAlert, defaultParams, paramProblem, templateById } from "./templates";
import type { ParamValues, TemplateContext } from "./templates/types";
import type { ExportFormat, PrometheusRuleMeta } from "./export";
import { checkTemplate } from "./go-template";
import { syntaxProblem } from "./promql-ast";
import { fromBase64Url, toBase64Url } from "./draft-link";
import type { AlertingRule, RecordingRule, RuleGroup, Severity } from "./rules";

export interface DraftRule {
  /** Template id. */
  t?: string;
  /** Parameter values that differ from the template's defaults. */
  p?: ParamValues;
  /** Alert name, when not the template's. */
  name?: string;
  /** The expression as edited by hand (parameters no longer apply to it). */
  expr?: string;
  for?: string;
  keep?: string;
  sev?: Severity;
  /** Labels added to the rule (severity aside). */
  labels?: Record<string, string>;
  /** Annotations, when edited (replace the template's). */
  ann?: Record<string, string>;
}

export interface Draft {
  rules: DraftRule[];
  /** Recording rules brought in by an import, exported and inlined in backtests with the alerts. */
  records: RecordingRule[];
  /** Index of the rule open in the editor. */
  sel: number;
  /** The group's evaluation interval. */
  interval: string;
  format: ExportFormat;
  meta: PrometheusRuleMeta;
}

export const EMPTY_DRAFT: Draft = {
  rules: [],
  records: [],
  sel: 0,
  interval: "30s",
  format: "PrometheusRule",
  meta: { name: "apiscope-alerts", namespace: "monitoring", labels: {} },
};

/** Longer URLs are cut by proxies, chat tools and browsers alike: beyond this, the draft is shared as YAML. */
export const MAX_DRAFT_URL_CHARS = 8000;

/** The draft as a URL parameter value; defaults are left out to keep links short. */
export function encodeDraft(d: Draft): string {
  const compact: Partial<Draft> = { rules: d.rules };
  if (d.records.length > 0) compact.records = d.records;
  if (d.sel !== 0) compact.sel = d.sel;
  if (d.interval !== EMPTY_DRAFT.interval) compact.interval = d.interval;
  if (d.format !== EMPTY_DRAFT.format) compact.format = d.format;
  if (JSON.stringify(d.meta) !== JSON.stringify(EMPTY_DRAFT.meta)) compact.meta = d.meta;
  return toBase64Url(JSON.stringify(compact));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const stringMap = (v: unknown): Record<string, string> | undefined =>
  isRecord(v) && Object.values(v).every((x) => typeof x === "string") ? (v as Record<string, string>) : undefined;
const str = (v: unknown, max = 20_000): string | undefined => (typeof v === "string" && v.length <= max ? v : undefined);

function draftRule(v: unknown): DraftRule | null {
  if (!isRecord(v)) return null;
  const params = isRecord(v.p) && Object.values(v.p).every((x) => typeof x === "string" || (typeof x === "number" && Number.isFinite(x))) ? (v.p as ParamValues) : undefined;
  const sev = v.sev === "info" || v.sev === "warning" || v.sev === "critical" ? v.sev : undefined;
  const out: DraftRule = { t: str(v.t, 100), p: params, name: str(v.name, 200), expr: str(v.expr), for: str(v.for, 40), keep: str(v.keep, 40), sev, labels: stringMap(v.labels), ann: stringMap(v.ann) };
  for (const k of Object.keys(out) as Array<keyof DraftRule>) if (out[k] === undefined) delete out[k];
  return out;
}

/** A draft from its URL parameter; anything malformed is dropped field by field, never thrown. */
export function decodeDraft(value: string | null): Draft {
  if (!value) return EMPTY_DRAFT;
  let raw: unknown;
  try {
    raw = JSON.parse(fromBase64Url(value));
  } catch {
    return EMPTY_DRAFT;
  }
  if (!isRecord(raw)) return EMPTY_DRAFT;
  const rules = Array.isArray(raw.rules) ? raw.rules.map(draftRule).filter((r): r is DraftRule => r !== null).slice(0, 200) : [];
  const records = Array.isArray(raw.records)
    ? raw.records.flatMap((r): RecordingRule[] => {
        if (!isRecord(r) || !str(r.record, 200) || !str(r.expr)) return [];
        return [{ record: r.record as string, expr: r.expr as string, labels: stringMap(r.labels) ?? {} }];
      })
    : [];
  const meta = isRecord(raw.meta) && str(raw.meta.name, 253) && str(raw.meta.namespace, 63)
    ? { name: raw.meta.name as string, namespace: raw.meta.namespace as string, labels: stringMap(raw.meta.labels) ?? {} }
    : EMPTY_DRAFT.meta;
  return {
    rules,
    records,
    sel: typeof raw.sel === "number" && Number.isInteger(raw.sel) && raw.sel >= 0 && raw.sel < rules.length ? raw.sel : 0,
    interval: str(raw.interval, 40) ?? EMPTY_DRAFT.interval,
    format: raw.format === "rules-file" ? "rules-file" : "PrometheusRule",
    meta,
  };
}

export interface ResolvedRule {
  /** The rule, or null when it cannot be exported (see problems). */
  rule: AlertingRule | null;
  /** The rule as far as it could be built, for the editor. */
  shown: AlertingRule;
  /** The recording rules the template's expression reads. */
  records: RecordingRule[];
  /** What must be fixed before anything is exported: a parameter, an expression or a Go template that does not parse. */
  problems: string[];
  /** Metric names this Prometheus lacks: the rule is left out of the export. */
  missing: string[];
  /** Said beside the rule: why it is left out of the export. */
  notes: string[];
  /** Whether the expression was edited by hand (the template's parameters no longer apply). */
  edited: boolean;
}

const EMPTY_RULE = (d: DraftRule): AlertingRule => ({
  alert: d.name ?? "DraftAlert",
  expr: d.expr ?? "",
  for: d.for ?? "5m",
  keepFiringFor: d.keep ?? "",
  labels: { severity: d.sev ?? "warning", ...d.labels },
  annotations: d.ann ?? {},
});

/** Where a template's metrics come from, when this Prometheus may simply not scrape it yet. */
const SCRAPE_HINT: Partial<Record<string, string>> = {
  clients: "apiscope's own per-client metrics: have this Prometheus scrape apiscope's /metrics",
  etcd: "scrape the etcd members' /metrics",
  coredns: "scrape CoreDNS's /metrics (port 9153)",
};

/**
 * The rule a draft entry stands for, in this Prometheus' metric names. A template whose metrics this Prometheus lacks
 * is shown (in the newest names) but not exported: it would never fire.
 */
export function resolveDraftRule(d: DraftRule, ctx: TemplateContext, runbookBase?: string): ResolvedRule {
  const problems: string[] = [];
  let rule: AlertingRule = EMPTY_RULE(d);
  let records: RecordingRule[] = [];
  let missing: string[] = [];
  const template = d.t ? templateById(d.t) : undefined;
  if (d.t && !template) problems.push(`there is no template ${JSON.stringify(d.t)}`);
  if (template) {
    const values = { ...defaultParams(template, ctx), ...d.p };
    const problem = paramProblem(template, values);
    if (problem) problems.push(problem);
    else {
      const options = { for: d.for ?? template.for, keepFiringFor: d.keep ?? template.keepFiringFor, severity: d.sev ?? template.severity, labels: d.labels ?? {}, runbookBase };
      let built = buildAlert(template, values, ctx, options);
      if (!built.ok) {
        if (d.expr === undefined) missing = built.missing;
        built = buildAlert(template, values, { ...ctx, names: null }, options);
      }
      if (built.ok) {
        records = built.records;
        rule = { ...built.rule, alert: d.name ?? built.rule.alert, expr: d.expr ?? built.rule.expr, annotations: d.ann ?? built.rule.annotations };
      }
    }
  }
  const syntax = problems.length === 0 ? syntaxProblem(rule.expr) : null;
  if (syntax) problems.push(`the expression does not parse: ${syntax.message}`);
  // Prometheus expands labels and annotations as Go templates: one that does not parse fails every alert.
  for (const [key, text] of Object.entries({ ...rule.labels, ...rule.annotations })) {
    const check = checkTemplate(text);
    if (!check.ok) problems.push(`${key}: ${check.message}`);
  }
  const notes =
    missing.length === 0
      ? []
      : [`left out of the export: this Prometheus has no ${missing.join(", ")}, so the rule would never fire${template && SCRAPE_HINT[template.area] ? ` (${SCRAPE_HINT[template.area]})` : ""}`];
  return { rule: problems.length === 0 && missing.length === 0 ? rule : null, shown: rule, records, problems, missing, notes, edited: d.expr !== undefined };
}

/** Recording rules once each (templates may share them), in order. */
export function uniqueRecords(lists: readonly RecordingRule[][]): RecordingRule[] {
  const seen = new Set<string>();
  const out: RecordingRule[] = [];
  for (const r of lists.flat()) {
    const key = JSON.stringify([r.record, r.expr, r.labels]);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/** The draft's rules as one group: recording rules first, then the alerts that can be exported. */
export function draftGroup(draft: Draft, resolved: readonly ResolvedRule[]): RuleGroup {
  const records = uniqueRecords([draft.records, ...resolved.map((r) => r.records)]);
  const alerts = resolved.flatMap((r) => (r.rule ? [r.rule] : []));
  return { name: draft.meta.name, interval: draft.interval, rules: [...records, ...alerts] };
}
