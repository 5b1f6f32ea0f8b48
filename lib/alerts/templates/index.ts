// The curated alert-rule library: every template, its default parameters for the connected Prometheus, and the
// alerting rule (with the recording rules it reads) built from a template and the user's choices.
import { parseDuration } from "../../duration";
import type { AlertingRule, RecordingRule, Severity } from "../rules";
import { APF_TEMPLATES } from "./apf";
import { APISERVER_TEMPLATES } from "./apiserver";
import { CLIENT_TEMPLATES } from "./clients";
import { COREDNS_TEMPLATES } from "./coredns";
import { APISERVER_SIDE_ETCD, ETCD_TEMPLATES } from "./etcd";
import { checkParam } from "./shared";
import type { AlertTemplate, ParamValues, TemplateContext } from "./types";
import { WEBHOOK_TEMPLATES } from "./webhooks";

export const TEMPLATES: readonly AlertTemplate[] = [
  ...APISERVER_TEMPLATES,
  ...APF_TEMPLATES,
  ...WEBHOOK_TEMPLATES,
  ...ETCD_TEMPLATES,
  ...COREDNS_TEMPLATES,
  ...CLIENT_TEMPLATES,
];

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]));

export function templateById(id: string): AlertTemplate | undefined {
  return BY_ID.get(id);
}

/** Whether the template reads the kube-apiserver's series, so its selector defaults to the configured one. */
function readsApiserver(t: AlertTemplate): boolean {
  return t.area === "apiserver" || t.area === "apf" || t.area === "webhooks" || APISERVER_SIDE_ETCD.has(t.id);
}

export function defaultParams(t: AlertTemplate, ctx: TemplateContext): ParamValues {
  const out: ParamValues = {};
  for (const p of t.params) {
    out[p.key] = p.key === "selector" && p.kind === "matchers" && readsApiserver(t) ? ctx.apiserverSelector : p.default;
  }
  return out;
}

/** The first invalid parameter value (missing ones count as their defaults), or null. */
export function paramProblem(t: AlertTemplate, values: ParamValues): string | null {
  for (const spec of t.params) {
    const problem = checkParam(spec, values[spec.key] ?? spec.default);
    if (problem) return problem;
  }
  return null;
}

export interface BuildOptions {
  for: string;
  keepFiringFor: string;
  severity: Severity;
  labels: Record<string, string>;
  /** The runbook page; each alert links to its template's anchor on it. */
  runbookBase?: string;
}

export type AlertBuild = { ok: true; rule: AlertingRule; records: RecordingRule[] } | { ok: false; missing: string[] };

const isDurationOrNone = (d: string) => d === "" || d === "0" || d === "0s" || parseDuration(d) !== null;

/** The alerting rule of a template. Throws RangeError naming the parameter when a value is invalid. */
export function buildAlert(t: AlertTemplate, values: ParamValues, ctx: TemplateContext, opts: BuildOptions): AlertBuild {
  const merged = { ...defaultParams(t, ctx) };
  for (const [key, value] of Object.entries(values)) if (value !== undefined) merged[key] = value;
  const problem = paramProblem(t, merged);
  if (problem) throw new RangeError(problem);
  if (!isDurationOrNone(opts.for)) throw new RangeError("for must be a Prometheus duration such as 10m");
  if (!isDurationOrNone(opts.keepFiringFor)) throw new RangeError("keepFiringFor must be a Prometheus duration such as 10m");
  const built = t.build(merged, ctx);
  if (!built.ok) return { ok: false, missing: built.missing };
  const annotations: Record<string, string> = { summary: t.summary, description: t.description };
  if (opts.runbookBase !== undefined) annotations.runbook_url = `${opts.runbookBase}#${t.id}`;
  return {
    ok: true,
    rule: {
      alert: t.alert,
      expr: built.expr,
      for: opts.for,
      keepFiringFor: opts.keepFiringFor,
      labels: { severity: opts.severity, ...opts.labels },
      annotations,
    },
    records: built.records,
  };
}

export { AREAS } from "./types";
export type { AlertTemplate, Area, ParamSpec, ParamValues, TemplateContext } from "./types";
