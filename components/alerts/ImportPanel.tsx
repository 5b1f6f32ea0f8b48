"use client";
// Existing rules in: a rule file, a PrometheusRule (one, a List, several documents) or a ConfigMap carrying a rule
// file, pasted or uploaded. What cannot be read is said, rule by rule; what can joins the draft.
import { useState } from "react";
import { IMPORT_MAX_BYTES } from "@/lib/alerts/import-limits";
import type { RuleGroup } from "@/lib/alerts/rules";

const button = "rounded border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-40 dark:border-slate-700";

export function ImportPanel({ onImport }: { onImport: (groups: RuleGroup[]) => void }) {
  const [text, setText] = useState("");
  const [messages, setMessages] = useState<string[]>([]);
  const run = async (source: string) => {
    // The YAML reader is loaded when something is imported, not with the page.
    const { importRules } = await import("@/lib/alerts/import");
    const result = importRules(source);
    if (!result.ok) {
      setMessages([result.error]);
      return;
    }
    const rules = result.groups.reduce((n, g) => n + g.rules.length, 0);
    setMessages([
      `Imported ${rules} rules from ${result.groups.length} groups.`,
      ...result.problems.map((p) => `${p.group}${p.rule ? ` / ${p.rule}` : ""}: ${p.message}`),
    ]);
    onImport(result.groups);
  };
  return (
    <section className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="import-panel" aria-label="Import">
      <h2 className="text-sm font-semibold">Import rules</h2>
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={4}
        placeholder="Paste a rule file, a PrometheusRule or a ConfigMap holding a rule file"
        className="rounded border border-slate-300 bg-transparent p-1 font-mono text-xs dark:border-slate-700"
        data-testid="import-text"
        aria-label="Rules to import"
      />
      <div className="flex items-center gap-2">
        <button type="button" className={button} disabled={text.trim() === ""} onClick={() => void run(text)} data-testid="import-run">
          Import
        </button>
        <label className="text-xs text-slate-500">
          or a file{" "}
          <input
            type="file"
            accept=".yaml,.yml,.json,.rules"
            data-testid="import-file"
            className="text-xs"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              if (f.size > IMPORT_MAX_BYTES) setMessages([`${f.name} is larger than ${IMPORT_MAX_BYTES} bytes`]);
              else await run(await f.text());
              e.target.value = "";
            }}
          />
        </label>
      </div>
      {messages.length > 0 && (
        <ul className="text-xs" data-testid="import-messages">
          {messages.map((m, i) => (
            <li key={i} className={i === 0 ? "" : "text-amber-700 dark:text-amber-300"}>
              {m}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
