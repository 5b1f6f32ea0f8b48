"use client";
// The draft out: one PrometheusRule (with the labels the user's Prometheus selects rules by) or a plain rule file;
// copied or downloaded, with the commands that apply and check it.
import { useState } from "react";
import { downloadText } from "@/components/view/download";
import { Field } from "@/components/view/Field";
import type { Draft } from "@/lib/alerts/draft";
import { exportYaml, type ExportFormat, type PrometheusRuleMeta } from "@/lib/alerts/export";
import type { RuleGroup } from "@/lib/alerts/rules";
import { DraftInput } from "./DraftField";
import { KeyValueEditor } from "./KeyValueEditor";

const input = "rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700";
const button = "rounded border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-40 dark:border-slate-700";
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function metaProblem(meta: PrometheusRuleMeta): string | null {
  if (!DNS1123.test(meta.name) || meta.name.length > 253) return "the name must be a DNS-1123 subdomain (lower-case letters, digits, - and .)";
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(meta.namespace) || meta.namespace.length > 63) return "the namespace must be a DNS-1123 label";
  return null;
}

export function ExportPanel({ draft, group, blocked, leftOut, onChange, regression }: {
  draft: Draft;
  group: RuleGroup;
  /** Why nothing can be exported now (an expression that does not parse…), or null. */
  blocked: string | null;
  /** Rules left out because this Prometheus lacks their metrics. */
  leftOut: string[];
  onChange: (format: ExportFormat, meta: PrometheusRuleMeta) => void;
  regression: React.ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  const { format, meta } = draft;
  const problem = blocked ?? (format === "PrometheusRule" ? metaProblem(meta) : null) ?? (!group.rules.some((r) => "alert" in r) ? (leftOut.length > 0 ? "every rule lacks its metrics in this Prometheus" : "add a rule first") : null);
  const yaml = problem ? "" : exportYaml([group], format, meta);
  const file = `${meta.name}.yaml`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(yaml);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="export-panel" aria-label="Export">
      <h2 className="text-sm font-semibold">Export</h2>
      <div className="flex flex-wrap items-center gap-3">
        <Field label="format">
          <select value={format} onChange={(e) => onChange(e.target.value as ExportFormat, meta)} className={input} data-testid="export-format">
            <option value="PrometheusRule">PrometheusRule (prometheus-operator)</option>
            <option value="rules-file">Prometheus rule file</option>
          </select>
        </Field>
        <Field label={format === "PrometheusRule" ? "name" : "group"}>
          <DraftInput value={meta.name} onValue={(name) => onChange(format, { ...meta, name })} className={`${input} w-56 font-mono`} data-testid="export-name" />
        </Field>
        {format === "PrometheusRule" && (
          <Field label="namespace">
            <DraftInput value={meta.namespace} onValue={(namespace) => onChange(format, { ...meta, namespace })} className={`${input} w-32 font-mono`} data-testid="export-namespace" />
          </Field>
        )}
      </div>
      {format === "PrometheusRule" && (
        <div>
          <p className="text-xs text-slate-500">Labels your Prometheus selects rules by (its ruleSelector, e.g. release: kube-prometheus-stack or role: alert-rules):</p>
          <KeyValueEditor values={meta.labels} onChange={(labels) => onChange(format, { ...meta, labels })} testId="export-labels" />
        </div>
      )}
      {leftOut.length > 0 && (
        <p role="status" className="text-sm text-amber-700 dark:text-amber-300" data-testid="export-left-out">
          Left out, as this Prometheus lacks their metrics: {leftOut.join(", ")}.
        </p>
      )}
      {problem ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="export-blocked">
          Export is disabled: {problem}.
        </p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <button type="button" className={button} onClick={() => void copy()} data-testid="export-copy">
              {copied ? "Copied ✓" : "Copy YAML"}
            </button>
            <button type="button" className={button} onClick={() => downloadText(file, yaml, "application/yaml")} data-testid="export-download">
              Download {file}
            </button>
            {regression}
          </div>
          <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" data-testid="export-yaml">
            {yaml}
          </pre>
          <pre className="rounded bg-slate-50 p-2 text-xs text-slate-600 dark:bg-slate-900 dark:text-slate-400" data-testid="export-commands">
            {format === "PrometheusRule"
              ? `kubectl apply --dry-run=server -f ${file}\nkubectl apply -f ${file}`
              : `promtool check rules ${file}\n# then add it to rule_files in prometheus.yml and reload Prometheus`}
          </pre>
        </>
      )}
    </section>
  );
}
