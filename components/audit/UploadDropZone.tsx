"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { uploadAuditLog } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/keys";
import type { IngestOutcome } from "@/lib/audit/types";
import type { SkipReason } from "@/lib/audit/reasons";
import { formatValue } from "@/lib/format";

type State =
  | { kind: "idle" }
  | { kind: "uploading"; name: string; fraction: number; abort: () => void }
  | { kind: "done"; name: string; outcome: IngestOutcome }
  | { kind: "failed"; name: string; message: string };

/** Drag-and-drop upload of an exported audit log (post-incident analysis), with progress and the result. */
export function UploadDropZone({ reasons }: { reasons: Record<SkipReason, string> | undefined }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const client = useQueryClient();

  const upload = (file: File) => {
    const { done, abort } = uploadAuditLog(file, (fraction) => setState({ kind: "uploading", name: file.name, fraction, abort }));
    setState({ kind: "uploading", name: file.name, fraction: 0, abort });
    done.then(
      (outcome) => {
        setState({ kind: "done", name: file.name, outcome });
        void client.invalidateQueries({ queryKey: queryKeys.audit() });
      },
      (err: Error) => setState({ kind: "failed", name: file.name, message: err.message }),
    );
  };

  return (
    <section aria-label="Upload an audit log" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="text-sm font-medium">Upload an audit log</h2>
      <div
        data-testid="upload-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer.files[0];
          if (file) upload(file);
        }}
        className={`mt-2 flex flex-col items-center gap-2 rounded-md border-2 border-dashed p-6 text-sm ${over ? "border-sky-500 bg-sky-50 dark:bg-sky-950/30" : "border-slate-300 dark:border-slate-700"}`}
      >
        <p className="text-slate-600 dark:text-slate-300">
          Drop a kube-apiserver audit log here (JSON lines, an EventList, an AKS export; plain or gzip), or
        </p>
        <button type="button" className="toolbar-button" onClick={() => input.current?.click()}>
          Choose a file…
        </button>
        <input
          ref={input}
          type="file"
          aria-label="Audit log file"
          className="hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload(file);
            e.target.value = "";
          }}
        />
      </div>
      {state.kind === "uploading" && (
        <div className="mt-3 flex items-center gap-3 text-sm" role="status">
          <span className="truncate">{state.name}</span>
          <progress className="h-2 flex-1" max={1} value={state.fraction} aria-label="Upload progress" />
          <span className="tabular-nums">{state.fraction < 1 ? `${Math.round(state.fraction * 100)}%` : "storing…"}</span>
          <button type="button" className="toolbar-button" onClick={state.abort}>
            Cancel
          </button>
        </div>
      )}
      {state.kind === "done" && (
        <div className="mt-3 text-sm" role="status" data-testid="upload-result">
          <span className="font-medium">{state.name}</span>: {formatValue(state.outcome.accepted, "count")} requests stored
          {state.outcome.open > 0 && `, ${formatValue(state.outcome.open, "count")} still open`}
          {state.outcome.merged > 0 && `, ${formatValue(state.outcome.merged, "count")} earlier stages merged into their requests`}
          {Object.entries(state.outcome.skipped).map(([reason, n]) => (
            <div key={reason} className="text-amber-700 dark:text-amber-300">
              {n} skipped: {reasons?.[reason as SkipReason] ?? reason}
            </div>
          ))}
        </div>
      )}
      {state.kind === "failed" && (
        <div className="mt-3 text-sm text-red-700 dark:text-red-300" role="alert">
          {state.name}: {state.message}
        </div>
      )}
    </section>
  );
}
