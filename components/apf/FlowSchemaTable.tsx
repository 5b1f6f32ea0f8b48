"use client";
// Every flow schema of the window with its priority level, the most rejected first; sortable by column. With
// `priorityLevel` only that level's flow schemas are shown.
import { useMemo, useState } from "react";
import { Clipped } from "@/components/view/Clipped";
import { formatValue } from "@/lib/format";
import type { FlowSchemaRow } from "@/lib/apf/status-types";
import { SortHeader } from "@/components/view/SortHeader";
import { sortRows, type SortState } from "@/lib/sort-rows";

type NumberKey = "dispatchedPerSecond" | "rejectedPerSecond" | "rejectedShare";
type SortKey = "name" | "priorityLevel" | NumberKey;

/** Of the requests the flow schema classified, the share APF turned away. */
const rejectedShare = (r: FlowSchemaRow) => (r.dispatched + r.rejected > 0 ? r.rejected / (r.dispatched + r.rejected) : null);

const REJECTED_ROW = "text-red-800 dark:text-red-200";

const SUMMED = "per second over the window, summed over the API servers in view";

const COLUMNS: Array<{ key: NumberKey; label: string; title: string; format: (r: FlowSchemaRow) => string }> = [
  { key: "dispatchedPerSecond", label: "Dispatched", title: `Requests let through to execute, ${SUMMED}`, format: (r) => formatValue(r.dispatchedPerSecond, "reqps") },
  { key: "rejectedPerSecond", label: "Rejected", title: `Requests rejected with 429, ${SUMMED}`, format: (r) => formatValue(r.rejectedPerSecond, "reqps") },
  { key: "rejectedShare", label: "Rejected share", title: "Of the requests the flow schema classified, the share rejected (all API servers in view)", format: (r) => formatValue(rejectedShare(r), "ratio") },
];

export function FlowSchemaTable({ rows, priorityLevel }: { rows: FlowSchemaRow[]; priorityLevel?: string | null }) {
  const [sort, setSort] = useState<SortState<SortKey>>({ key: "rejectedPerSecond", descending: true });
  const sorted = useMemo(() => {
    const shown = priorityLevel ? rows.filter((r) => r.priorityLevel === priorityLevel) : rows;
    return sortRows(shown, (r) => (sort.key === "rejectedShare" ? rejectedShare(r) : r[sort.key]), sort.descending);
  }, [rows, priorityLevel, sort]);
  const header = (key: SortKey, label: string, align: string, title?: string) => (
    <SortHeader
      key={key}
      sortKey={key}
      label={label}
      align={align}
      title={title}
      sort={sort}
      onSort={setSort}
      firstDescending={key !== "name" && key !== "priorityLevel"}
    />
  );
  return (
    <div className="overflow-x-auto p-2">
      <table className="w-full text-sm" data-testid="apf-flow-schemas">
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            {header("name", "Flow schema", "text-left")}
            {header("priorityLevel", "Priority level", "text-left")}
            {COLUMNS.map((c) => header(c.key, c.label, "text-right", c.title))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr
              key={`${r.priorityLevel}:${r.name}`}
              data-flow-schema={r.name}
              data-level={r.priorityLevel}
              className={`border-t border-slate-100 align-top dark:border-slate-800 ${r.rejected > 0 ? REJECTED_ROW : ""}`}
            >
              <td className="px-2 py-1 font-medium">
                <Clipped text={r.name} max={50} />
              </td>
              <td className="px-2 py-1">
                <Clipped text={r.priorityLevel} max={40} />
              </td>
              {COLUMNS.map((c) => (
                <td key={c.key} className="px-2 py-1 text-right tabular-nums">
                  {c.format(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
