"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { SkipReason } from "@/lib/audit/reasons";
import { UPLOAD_PREFIX, type AuditStatus, type SourceStatus } from "@/lib/audit/types";
import { deleteAuditUpload } from "@/lib/client/api";
import { useAuditStatus } from "@/lib/client/hooks";
import { queryKeys } from "@/lib/client/keys";
import { formatUtc, formatValue } from "@/lib/format";
import { PanelMessage } from "@/components/panels/PanelStates";
import { UploadDropZone } from "./UploadDropZone";

/** The sources page follows ingestion closely, whatever the view. */
const SOURCES_POLL_MS = 5000;

const sum = (o: Partial<Record<string, number>>) => Object.values(o).reduce<number>((a, b) => a + (b ?? 0), 0);

function StoreSummary({ store }: { store: AuditStatus["store"] }) {
  const span = store.oldestMs !== null && store.newestMs !== null ? `${formatUtc(store.oldestMs)} → ${formatUtc(store.newestMs)} UTC` : "no requests stored yet";
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {[
        ["Requests stored", formatValue(store.requests, "count")],
        ["Still open (e.g. WATCHes)", formatValue(store.openRequests, "count")],
        ["Time span", span],
        ["On disk", `${formatValue(store.segmentBytes, "bytes")} in ${store.segments} segments`],
      ].map(([k, v]) => (
        <div key={k} className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <dt className="text-xs text-slate-500">{k}</dt>
          <dd className="mt-1 text-sm font-medium">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Deletes an upload after asking: its requests leave every view, and its row leaves this table. */
function DeleteUpload({ s }: { s: SourceStatus }) {
  const client = useQueryClient();
  const [state, setState] = useState<{ kind: "idle" | "confirm" | "deleting" } | { kind: "failed"; message: string }>({ kind: "idle" });
  const remove = () => {
    setState({ kind: "deleting" });
    deleteAuditUpload(s.source).then(
      () => void client.invalidateQueries({ queryKey: queryKeys.audit() }),
      (err: Error) => setState({ kind: "failed", message: err.message }),
    );
  };
  if (state.kind === "idle" || state.kind === "failed") {
    return (
      <div className="flex flex-col items-end gap-1">
        <button type="button" className="toolbar-button" onClick={() => setState({ kind: "confirm" })} aria-label={`Delete ${s.source}`}>
          Delete…
        </button>
        {state.kind === "failed" && (
          <span role="alert" className="text-xs text-red-700 dark:text-red-300">
            {state.message}
          </span>
        )}
      </div>
    );
  }
  return (
    <div role="alertdialog" aria-label={`Delete ${s.source}?`} className="flex flex-col items-end gap-1 text-xs">
      <span>
        Delete this upload and its {formatValue(s.accepted + s.open, "count")} requests? This cannot be undone.
      </span>
      <span className="flex gap-2">
        <button type="button" className="toolbar-button text-red-700 dark:text-red-300" disabled={state.kind === "deleting"} onClick={remove}>
          {state.kind === "deleting" ? "Deleting…" : "Delete"}
        </button>
        <button type="button" className="toolbar-button" disabled={state.kind === "deleting"} onClick={() => setState({ kind: "idle" })}>
          Cancel
        </button>
      </span>
    </div>
  );
}

function SourceRow({ s, reasons }: { s: AuditStatus["sources"][number]; reasons: AuditStatus["reasons"] }) {
  const skipped = sum(s.skipped);
  return (
    <tr className="border-t border-slate-100 align-top dark:border-slate-800" data-source={s.source}>
      <td className="max-w-md py-2 pr-3 break-all">
        {s.source}
        {s.uploadedMs !== null && <div className="text-xs text-slate-500">uploaded {formatUtc(s.uploadedMs)} UTC, kept until deleted</div>}
      </td>
      <td className="py-2 pr-3 text-right tabular-nums" data-testid="stored">
        {formatValue(s.accepted, "count")}
        {s.merged > 0 && (
          <div className="text-xs text-slate-500" title="Earlier stages (RequestReceived, ResponseStarted) of requests stored from their later stage">
            + {formatValue(s.merged, "count")} earlier stages
          </div>
        )}
      </td>
      <td className="py-2 pr-3 text-right tabular-nums">{formatValue(s.open, "count")}</td>
      <td className="py-2">
        {skipped === 0 ? (
          <span className="text-slate-500">none</span>
        ) : (
          <details>
            <summary className="cursor-pointer text-amber-700 dark:text-amber-300" data-testid="skipped-total">
              {formatValue(skipped, "count")} skipped
            </summary>
            <ul className="mt-1 space-y-1">
              {Object.entries(s.skipped).map(([reason, n]) => (
                <li key={reason} data-reason={reason}>
                  <span className="tabular-nums">{n}</span> × {reasons[reason as SkipReason] ?? reason}
                  <ul className="ml-4 text-xs text-slate-500">
                    {s.samples
                      .filter((x) => x.reason === reason)
                      .map((x, i) => (
                        <li key={i} className="break-all">
                          {x.line !== null && `line ${x.line}: `}
                          {x.detail}
                        </li>
                      ))}
                  </ul>
                </li>
              ))}
            </ul>
          </details>
        )}
      </td>
      <td className="py-2 pl-3 text-right">{s.source.startsWith(UPLOAD_PREFIX) && <DeleteUpload s={s} />}</td>
    </tr>
  );
}

/** Where audit events come from, what was stored, and what was skipped and why. */
export function AuditSourcesView() {
  const { data, error, isPending } = useAuditStatus(SOURCES_POLL_MS);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-lg font-semibold">Audit logs</h1>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">
        No API-server metric names the client (user agent) behind a request; kube-apiserver audit logs do. apiscope reads them from files
        (<code>APISCOPE_AUDIT_FILES</code>), from the audit webhook (<code>POST /api/audit/webhook</code>) and from uploads. Uploads are
        read whatever their age and kept until deleted here; what is followed or received live is kept for <code>APISCOPE_AUDIT_RETENTION</code>.
      </p>
      {error && <PanelMessage tone="error" title="Audit store unavailable" message={error.message} />}
      {isPending && <div className="text-sm text-slate-500">Loading…</div>}
      {data && (
        <>
          <StoreSummary store={data.store} />
          <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h2 className="text-sm font-medium">Sources</h2>
            {data.sources.length === 0 ? (
              <p className="mt-2 text-sm text-slate-500">
                Nothing ingested yet. Configured files: {data.files.length > 0 ? data.files.join(", ") : "none"}; webhook: {data.webhook.mode}.
              </p>
            ) : (
              <table className="mt-2 w-full text-sm" data-testid="audit-sources">
                <thead className="text-left text-xs text-slate-500">
                  <tr>
                    <th className="py-1 pr-3 font-normal">Source</th>
                    <th className="py-1 pr-3 text-right font-normal">Requests stored</th>
                    <th className="py-1 pr-3 text-right font-normal" title="Requests seen only at an early stage when read (e.g. a WATCH still open)">Seen open</th>
                    <th className="py-1 font-normal">Skipped input</th>
                    <th className="py-1 font-normal">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.sources.map((s) => (
                    <SourceRow key={s.source} s={s} reasons={data.reasons} />
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
      <UploadDropZone reasons={data?.reasons} />
    </div>
  );
}
