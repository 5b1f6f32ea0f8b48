"use client";
// One rule of the draft: its template's parameters, the expression (CodeMirror), `for`, `keep_firing_for`,
// severity, labels and annotations, with each annotation's Go template checked and previewed against the result.
import dynamic from "next/dynamic";
import type { PrometheusClient } from "@prometheus-io/codemirror-promql";
import type { DraftRule, ResolvedRule } from "@/lib/alerts/draft";
import { checkTemplate, renderTemplate } from "@/lib/alerts/go-template";
import { defaultParams } from "@/lib/alerts/templates";
import type { AlertTemplate, ParamSpec, TemplateContext } from "@/lib/alerts/templates/types";
import type { Severity } from "@/lib/alerts/rules";
import { Field } from "@/components/view/Field";
import { DraftInput } from "./DraftField";
import { KeyValueEditor } from "./KeyValueEditor";
// CodeMirror is the largest part of the page's code: loaded after the page is up, so the backtest starts sooner.
const PromqlEditor = dynamic(() => import("./PromqlEditor").then((m) => m.PromqlEditor), {
  ssr: false,
  loading: () => <div className="h-16 rounded border border-slate-300 dark:border-slate-700" aria-busy="true" />,
});

const input = "rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700";

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

function ParamField({ spec, value, onChange }: { spec: ParamSpec; value: string | number; onChange: (v: string | number) => void }) {
  const common = { "data-testid": `param-${spec.key}`, "aria-label": spec.label, title: spec.help };
  return (
    <Field label={spec.label}>
      {spec.kind === "number" ? (
        <DraftInput type="number" step="any" min={spec.min} max={spec.max} value={String(value)} onValue={(v) => onChange(v === "" ? "" : Number(v))} className={`${input} w-28 tabular-nums`} {...common} />
      ) : (
        <DraftInput value={String(value)} onValue={onChange} className={`${input} ${spec.kind === "duration" ? "w-20" : "w-72"} font-mono`} {...common} />
      )}
    </Field>
  );
}

function TemplateNote({ text, sample }: { text: string; sample: Sample | null }) {
  const check = checkTemplate(text);
  if (!check.ok) {
    return (
      <span role="alert" className="text-[11px] text-red-700 dark:text-red-300" data-testid="template-error">
        {check.message} (at {check.offset})
      </span>
    );
  }
  if (!text.includes("{{") || !sample) return null;
  const preview = renderTemplate(text, { labels: sample.labels, value: sample.value });
  return (
    <span className="text-[11px] text-slate-500" data-testid="template-preview">
      {preview.ok ? <>→ {preview.text}</> : <>preview: {preview.message}</>}
    </span>
  );
}

export function RuleEditor({ d, resolved, template, ctx, completion, sample, onChange }: {
  d: DraftRule;
  resolved: ResolvedRule;
  template: AlertTemplate | undefined;
  ctx: TemplateContext;
  completion: PrometheusClient;
  sample: Sample | null;
  onChange: (next: DraftRule) => void;
}) {
  const rule = resolved.shown;
  const values = template ? { ...defaultParams(template, ctx), ...d.p } : {};
  const setParam = (key: string, v: string | number) => onChange({ ...d, p: { ...d.p, [key]: v } });
  return (
    <section className="flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="rule-editor" aria-label="Rule">
      <div className="flex flex-wrap items-center gap-3">
        <Field label="alert">
          <DraftInput value={rule.alert} onValue={(name) => onChange({ ...d, name })} className={`${input} w-72 font-mono`} data-testid="rule-name" />
        </Field>
        {template && <span className="text-xs text-slate-500">from the template “{template.title}”</span>}
      </div>
      {template && (
        <div className="flex flex-wrap gap-3" data-testid="rule-params">
          {template.params.map((spec) => (
            <ParamField key={spec.key} spec={spec} value={values[spec.key] ?? spec.default} onChange={(v) => setParam(spec.key, v)} />
          ))}
        </div>
      )}
      <div className="flex flex-col gap-1">
        <div className="flex items-center gap-2 text-xs text-slate-500">
          <span>expression</span>
          {template && resolved.edited && (
            <>
              <span className="text-amber-700 dark:text-amber-300">edited by hand: the parameters no longer change it</span>
              <button type="button" className="underline" onClick={() => onChange({ ...d, expr: undefined })} data-testid="rule-reset-expr">
                back to the template&apos;s
              </button>
            </>
          )}
        </div>
        <PromqlEditor value={rule.expr} onChange={(expr) => onChange({ ...d, expr })} completion={completion} label="Alert expression" testId="rule-expr" />
      </div>
      <div className="flex flex-wrap gap-3">
        <Field label="for">
          <DraftInput value={rule.for} onValue={(v) => onChange({ ...d, for: v })} className={`${input} w-20 font-mono`} data-testid="rule-for" />
        </Field>
        <Field label="keep_firing_for">
          <DraftInput value={rule.keepFiringFor} onValue={(keep) => onChange({ ...d, keep })} className={`${input} w-20 font-mono`} data-testid="rule-keep" placeholder="0s" />
        </Field>
        <Field label="severity">
          <select value={rule.labels.severity ?? "warning"} onChange={(e) => onChange({ ...d, sev: e.target.value as Severity })} className={input} data-testid="rule-severity">
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </Field>
      </div>
      <div className="grid gap-3 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-500">Labels (severity aside)</h3>
          <KeyValueEditor
            values={Object.fromEntries(Object.entries(rule.labels).filter(([k]) => k !== "severity"))}
            onChange={(labels) => onChange({ ...d, labels })}
            testId="rule-labels"
            note={(_k, v) => (v.includes("{{") ? <TemplateNote text={v} sample={sample} /> : null)}
          />
        </div>
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-500">Annotations</h3>
          <KeyValueEditor values={rule.annotations} onChange={(ann) => onChange({ ...d, ann })} multiline testId="rule-annotations" note={(_k, v) => <TemplateNote text={v} sample={sample} />} />
        </div>
      </div>
      {template && (
        <details className="text-sm">
          <summary className="cursor-pointer text-xs text-slate-500">Runbook</summary>
          <p className="mt-1 whitespace-pre-line text-slate-700 dark:text-slate-300">{template.runbook}</p>
          <p className="mt-1 text-xs text-slate-500">Sources: {template.sources.join("; ")}</p>
        </details>
      )}
    </section>
  );
}
