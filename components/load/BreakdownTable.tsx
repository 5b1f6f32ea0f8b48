"use client";
// The top groups as a sortable table with sparklines; a click on a value filters by it; "Download CSV" saves
// exactly the rows shown, in their order.
import { useMemo, useState } from "react";
import { Clipped } from "@/components/view/Clipped";
import type { Dimension } from "@/lib/audit/dimensions";
import type { BreakdownAnswer } from "@/lib/audit/answers";
import type { GroupSeries } from "@/lib/audit/answers";
import { sortRows, sparklinePoints, tableCsv, tableRows, type SortKey, type TableRow } from "@/lib/load/breakdown-table";
import { formatValue } from "@/lib/format";
import { SortHeader } from "@/components/view/SortHeader";
import type { SortState } from "@/lib/sort-rows";
import { downloadText } from "@/components/view/download";

const COLUMNS: Array<{ key: Exclude<SortKey, "group">; label: string; format: (r: TableRow) => string }> = [
  { key: "requests", label: "Requests", format: (r) => r.requests.toLocaleString("en-US") },
  { key: "rate", label: "Rate", format: (r) => formatValue(r.rate, "reqps") },
  { key: "share", label: "Share", format: (r) => formatValue(r.share, "ratio") },
  { key: "errors", label: "5xx", format: (r) => r.errors.toLocaleString("en-US") },
  { key: "throttled", label: "429", format: (r) => r.throttled.toLocaleString("en-US") },
  { key: "p50", label: "p50", format: (r) => formatValue(r.p50, "seconds") },
  { key: "p99", label: "p99", format: (r) => formatValue(r.p99, "seconds") },
  { key: "sources", label: "Sources", format: (r) => r.sources.toLocaleString("en-US") },
];

const DIMENSION_LABELS: Record<Dimension, string> = {
  client: "Client",
  user: "User",
  verb: "Verb",
  resource: "Resource",
  namespace: "Namespace",
  source_ip: "Source IP",
  code: "Code",
};

function Sparkline({ values }: { values: number[] }) {
  if (values.length === 0) return null;
  return (
    <svg width="80" height="18" viewBox="0 0 80 18" aria-hidden className="text-sky-500">
      <polyline points={sparklinePoints(values, 80, 16)} fill="none" stroke="currentColor" strokeWidth="1.2" transform="translate(0,1)" />
    </svg>
  );
}

export function BreakdownTable({ answer, series, groupBy, onPick, filename }: {
  answer: BreakdownAnswer;
  series: GroupSeries[] | undefined;
  groupBy: Dimension[];
  onPick: (d: Dimension, value: string) => void;
  /** The CSV file's name, decided when it is downloaded. */
  filename: () => string;
}) {
  const [sort, setSort] = useState<SortState<SortKey>>({ key: "requests", descending: true });
  const rows = useMemo(() => sortRows(tableRows(answer, series), sort.key, sort.descending), [answer, series, sort]);
  const header = (key: SortKey, label: string, align: string) => (
    <SortHeader key={key} sortKey={key} label={label} align={align} sort={sort} onSort={setSort} firstDescending={key !== "group"} />
  );
  return (
    <div className="flex h-full flex-col">
      <div className="flex justify-end px-2 pt-2">
        <button
          type="button"
          onClick={() => downloadText(filename(), tableCsv(rows, groupBy), "text/csv;charset=utf-8")}
          className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Download CSV
        </button>
      </div>
      <div className="overflow-x-auto p-2">
        <table className="w-full text-sm" data-testid="breakdown-table">
          <thead className="text-xs text-slate-500 dark:text-slate-400">
            <tr>
              {groupBy.map((d, i) => (i === 0 ? header("group", DIMENSION_LABELS[d], "text-left") : <th key={d} scope="col" className="px-2 py-1 text-left font-medium">{DIMENSION_LABELS[d]}</th>))}
              {COLUMNS.map((c) => header(c.key, c.label, "text-right"))}
              <th scope="col" className="px-2 py-1 text-left font-medium">
                Over time
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-row={r.id} className="border-t border-slate-100 dark:border-slate-800">
                {r.keys === null ? (
                  <td colSpan={groupBy.length} className="px-2 py-1 text-slate-500 italic">
                    other
                  </td>
                ) : (
                  r.keys.map((k, i) => (
                    <td key={i} className="max-w-xs px-2 py-1">
                      <button type="button" onClick={() => onPick(groupBy[i]!, k)} className="text-left hover:text-sky-600 hover:underline" title={`Filter by ${DIMENSION_LABELS[groupBy[i]!].toLowerCase()}`}>
                        <Clipped text={k} />
                      </button>
                    </td>
                  ))
                )}
                {COLUMNS.map((c) => (
                  <td key={c.key} className="px-2 py-1 text-right tabular-nums">
                    {c.format(r)}
                  </td>
                ))}
                <td className="px-2 py-1">
                  <Sparkline values={r.spark} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
