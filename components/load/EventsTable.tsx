"use client";
// The raw requests of the selection, newest first, a page at a time; a click shows everything stored about one
// (long values in a scrollable box, with a copy button).
import { useState } from "react";
import { Clipped } from "@/components/view/Clipped";
import type { EventRow } from "@/lib/audit/answers";
import { formatUtc, formatValue } from "@/lib/format";

const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** Longer values (a 100 KB user agent) get a scrollable box of bounded height, so one request cannot fill the page. */
const LONG_VALUE_CHARS = 300;

function DetailValue({ value }: { value: string }) {
  const cell = "min-w-0 font-mono break-all whitespace-pre-wrap";
  if (value.length <= LONG_VALUE_CHARS) return <dd className={cell}>{value || "–"}</dd>;
  return (
    <dd className="flex min-w-0 flex-col gap-1">
      {/* Focusable so the keyboard can scroll it; the whole value is there to read and select. */}
      <div tabIndex={0} className={`${cell} max-h-32 overflow-auto rounded border border-slate-200 bg-white p-1 dark:border-slate-700 dark:bg-slate-900`} data-testid="event-detail-long">
        {value}
      </div>
      <div className="flex items-center gap-2 text-slate-500">
        <span>{value.length.toLocaleString("en-US")} characters</span>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value)} className="rounded border border-slate-300 px-1.5 dark:border-slate-700">
          Copy
        </button>
      </div>
    </dd>
  );
}

export function EventsTable({ events, hasNext, hasPrevious, onNext, onPrevious }: {
  events: EventRow[];
  hasNext: boolean;
  hasPrevious: boolean;
  onNext: () => void;
  onPrevious: () => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const shown = events.find((e) => e.audit_id === open);
  return (
    <div className="flex flex-col gap-2 p-2">
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="events-table">
          <thead className="text-xs text-slate-500 dark:text-slate-400">
            <tr>
              {["Time (UTC)", "Client", "User", "Verb", "Request URI", "Code", "Latency", "Source IP"].map((h) => (
                <th key={h} scope="col" className="px-2 py-1 text-left font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr
                key={e.audit_id}
                onClick={() => setOpen(open === e.audit_id ? null : e.audit_id)}
                className={`cursor-pointer border-t border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50 ${open === e.audit_id ? "bg-sky-50 dark:bg-sky-950/40" : ""}`}
              >
                <td className="px-2 py-1 whitespace-nowrap tabular-nums">{formatUtc(e.ts)}</td>
                <td className="max-w-[12rem] px-2 py-1"><Clipped text={text(e.client)} max={28} /></td>
                <td className="max-w-[14rem] px-2 py-1"><Clipped text={text(e.username)} max={32} /></td>
                <td className="px-2 py-1">{text(e.verb)}</td>
                <td className="max-w-md px-2 py-1"><Clipped text={text(e.request_uri)} max={90} wrap /></td>
                <td className="px-2 py-1 tabular-nums">{text(e.code)}</td>
                <td className="px-2 py-1 text-right tabular-nums">{formatValue(typeof e.latency_s === "number" ? e.latency_s : null, "seconds")}</td>
                <td className="px-2 py-1 tabular-nums">{text(e.source_ip)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center gap-2 text-xs">
        <button type="button" disabled={!hasPrevious} onClick={onPrevious} className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40 dark:border-slate-700">
          ← Newer
        </button>
        <button type="button" disabled={!hasNext} onClick={onNext} className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40 dark:border-slate-700">
          Older →
        </button>
        <span className="text-slate-500">Click a request to see everything stored about it.</span>
      </div>
      {shown && (
        <dl data-testid="event-detail" className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-md bg-slate-50 p-3 text-xs dark:bg-slate-800/50">
          {Object.entries(shown).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <DetailValue value={k === "ts" ? `${formatUtc(shown.ts)} UTC` : text(v)} />
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
