"use client";
// Labels or annotations of a rule: one row per key, editable, removable, and a row to add one.
import { useState } from "react";
import { DraftInput, DraftTextarea } from "./DraftField";

const input = "rounded border border-slate-300 bg-transparent px-1 py-0.5 text-xs dark:border-slate-700";

export function KeyValueEditor({ values, onChange, multiline, testId, note }: {
  values: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
  multiline?: boolean;
  testId: string;
  /** Shown under a value (a template's preview or its error). */
  note?: (key: string, value: string) => React.ReactNode;
}) {
  const [newKey, setNewKey] = useState("");
  const set = (key: string, value: string) => onChange({ ...values, [key]: value });
  const remove = (key: string) => onChange(Object.fromEntries(Object.entries(values).filter(([k]) => k !== key)));
  return (
    <div className="flex flex-col gap-1" data-testid={testId}>
      {Object.entries(values).map(([key, value]) => (
        <div key={key} className="flex items-start gap-2">
          <span className="w-28 shrink-0 truncate pt-0.5 font-mono text-xs text-slate-500" title={key}>
            {key}
          </span>
          <div className="flex min-w-0 flex-1 flex-col gap-0.5">
            {multiline ? (
              <DraftTextarea value={value} onValue={(v) => set(key, v)} rows={2} className={`${input} w-full font-mono`} aria-label={key} data-key={key} />
            ) : (
              <DraftInput value={value} onValue={(v) => set(key, v)} className={`${input} w-full font-mono`} aria-label={key} data-key={key} />
            )}
            {note?.(key, value)}
          </div>
          <button type="button" onClick={() => remove(key)} className="text-xs text-slate-500 hover:text-red-600" aria-label={`Remove ${key}`}>
            ✕
          </button>
        </div>
      ))}
      <form
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const key = newKey.trim();
          if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) && !(key in values)) {
            set(key, "");
            setNewKey("");
          }
        }}
      >
        <input value={newKey} onChange={(e) => setNewKey(e.target.value)} placeholder="new key" className={`${input} w-28 font-mono`} aria-label="New key" />
        <button type="submit" className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700">
          Add
        </button>
      </form>
    </div>
  );
}
