"use client";
// Every webhook of the window, worst p99 first by default; sortable; a click opens its detail.
import { useMemo, useState } from "react";
import { Clipped } from "@/components/view/Clipped";
import { formatValue } from "@/lib/format";
import type { WebhookChoice } from "@/lib/url-state";
import type { WebhookRow } from "@/lib/webhooks/types";
import { RowAlertLink } from "@/components/view/RowAlertLink";
import { SortHeader } from "@/components/view/SortHeader";
import { sortRows, type SortState } from "@/lib/sort-rows";

type SortKey = "name" | "callsPerSecond" | "p50" | "p90" | "p99" | "shareOfAdmission" | "rejected" | "failedCalls";

/** The table's quantiles are over the whole window; the latency chart's are per time step. */
const OVER_WINDOW = "over the whole window: one number from all of its calls (the latency chart shows it per time step)";

const COLUMNS: Array<{ key: Exclude<SortKey, "name">; label: string; title?: string; format: (r: WebhookRow) => string }> = [
  { key: "callsPerSecond", label: "Calls", format: (r) => formatValue(r.callsPerSecond, "reqps") },
  { key: "p50", label: "p50", title: `p50 ${OVER_WINDOW}`, format: (r) => formatValue(r.p50, "seconds") },
  { key: "p90", label: "p90", title: `p90 ${OVER_WINDOW}`, format: (r) => formatValue(r.p90, "seconds") },
  { key: "p99", label: "p99", title: `p99 ${OVER_WINDOW}`, format: (r) => formatValue(r.p99, "seconds") },
  { key: "shareOfAdmission", label: "Admission time", format: (r) => formatValue(r.shareOfAdmission, "ratio") },
  { key: "rejected", label: "Rejected", format: (r) => formatValue(r.rejected, "count") },
  { key: "failedCalls", label: "Failed calls", format: (r) => formatValue(r.failedCalls, "count") },
];

export function WebhookTable({ rows, chosen, onChoose, alertHref }: {
  rows: WebhookRow[];
  chosen: WebhookChoice | null;
  onChoose: (c: WebhookChoice) => void;
  /** "Alert on this": the alert workbench with the webhook's rules drafted. */
  alertHref?: (name: string) => string;
}) {
  const [sort, setSort] = useState<SortState<SortKey>>({ key: "p99", descending: true });
  const sorted = useMemo(() => sortRows(rows, (r) => (sort.key === "name" ? r.name : r[sort.key]), sort.descending), [rows, sort]);
  const header = (key: SortKey, label: string, align: string, title?: string) => (
    <SortHeader key={key} sortKey={key} label={label} align={align} title={title} sort={sort} onSort={setSort} firstDescending={key !== "name"} />
  );
  return (
    <div className="overflow-x-auto p-2">
      <table className="w-full text-sm" data-testid="webhook-table">
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            {header("name", "Webhook", "text-left")}
            <th scope="col" className="px-2 py-1 text-left font-medium">Type</th>
            {COLUMNS.map((c) => header(c.key, c.label, "text-right", c.title))}
            <th scope="col" className="px-2 py-1 text-left font-medium">Warnings</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => {
            const isChosen = chosen?.name === r.name && chosen.type === r.type;
            return (
              <tr
                key={`${r.type}:${r.name}`}
                data-webhook={r.name}
                data-p99={r.p99 ?? ""}
                aria-selected={isChosen}
                onClick={() => onChoose({ name: r.name, type: r.type })}
                className={`cursor-pointer border-t border-slate-100 align-top hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50 ${isChosen ? "bg-sky-50 dark:bg-sky-950/40" : ""}`}
              >
                <td className="px-2 py-1 font-medium">
                  <Clipped text={r.name} max={60} />
                  {alertHref && <RowAlertLink href={alertHref(r.name)} />}
                </td>
                <td className="px-2 py-1">{r.type}</td>
                {COLUMNS.map((c) => (
                  <td key={c.key} className="px-2 py-1 text-right tabular-nums">
                    {c.format(r)}
                  </td>
                ))}
                <td className="px-2 py-1 text-amber-700 dark:text-amber-300">
                  {r.warnings.map((w) => (
                    <div key={w}>{w}</div>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
