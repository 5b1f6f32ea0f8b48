"use client";
// Paste or upload ValidatingWebhookConfiguration / MutatingWebhookConfiguration YAML: apiscope reads it in the
// browser (nothing is sent anywhere) and flags the settings that turn a webhook's trouble into an outage, using
// the webhook's metrics of the window when it has them.
import { useMemo, useState } from "react";
import { Clipped } from "@/components/view/Clipped";
import { parseWebhookConfigurations } from "@/lib/webhooks/config";
import { assessWebhook, type WebhookHealth } from "@/lib/webhooks/risk";
import type { WebhookRow } from "@/lib/webhooks/types";

const MAX_FILE_BYTES = 2 * 2 ** 20;

export function BlastRadius({ metrics }: { metrics: WebhookRow[] }) {
  const [text, setText] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const result = useMemo(() => (text.trim() === "" ? null : parseWebhookConfigurations(text)), [text]);
  const health = (name: string, type: string): WebhookHealth | null => {
    const m = metrics.find((r) => r.name === name && r.type === type);
    return m ? { callsPerSecond: m.callsPerSecond, p99Seconds: m.p99, failedCalls: m.failedCalls, failOpen: m.failOpen ?? 0 } : null;
  };
  return (
    <div className="flex flex-col gap-2 p-3" data-testid="blast-radius">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="cursor-pointer rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Upload YAML
          <input
            type="file"
            accept=".yaml,.yml,.json,text/yaml,application/json"
            className="hidden"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              if (file.size > MAX_FILE_BYTES) return setFileError(`${file.name} is larger than 2 MiB`);
              setFileError(null);
              setText(await file.text());
            }}
          />
        </label>
        <span className="text-xs text-slate-500">or paste below — e.g. the output of kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations -o yaml. It stays in this browser.</span>
      </div>
      <textarea
        aria-label="webhook configuration YAML"
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        rows={8}
        className="w-full rounded border border-slate-300 bg-white p-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-950"
        placeholder="apiVersion: admissionregistration.k8s.io/v1&#10;kind: ValidatingWebhookConfiguration&#10;…"
      />
      {fileError && <div role="alert" className="text-sm text-red-700 dark:text-red-300">{fileError}</div>}
      {result?.problems.map((p) => (
        <div key={p} role="alert" className="text-sm text-amber-700 dark:text-amber-300">
          {p}
        </div>
      ))}
      {result && result.webhooks.length > 0 && (
        <ul className="flex flex-col gap-2">
          {result.webhooks.map((w) => {
            const findings = assessWebhook(w, health(w.name, w.type));
            return (
              <li key={`${w.configuration}/${w.name}`} data-webhook={w.name} className="rounded-md border border-slate-200 p-2 text-sm dark:border-slate-800">
                <div className="flex flex-wrap gap-x-3">
                  <span className="font-medium">
                    <Clipped text={w.name} max={80} />
                  </span>
                  <span className="text-xs text-slate-500">
                    {w.type} · failurePolicy {w.failurePolicy} · timeout {w.timeoutSeconds} s · in <Clipped text={w.configuration} max={40} />
                  </span>
                </div>
                {findings.length === 0 ? (
                  <div className="text-xs text-slate-500">No risky setting found.</div>
                ) : (
                  <ul className="mt-1 space-y-1">
                    {findings.map((f) => (
                      <li key={f.rule} data-finding={f.rule} data-severity={f.severity}>
                        <span className={`mr-1 rounded px-1 text-xs font-semibold uppercase ${f.severity === "critical" ? "bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-200" : "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200"}`}>
                          {f.severity}
                        </span>
                        <span className="font-medium">{f.text}.</span> <span className="text-slate-600 dark:text-slate-300">{f.advice}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
