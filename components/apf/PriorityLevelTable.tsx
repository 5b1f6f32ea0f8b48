"use client";
// Every priority level of the window, rejecting and queuing levels first (the server's order); sortable by column.
import { useMemo, useState } from "react";
import { Clipped } from "@/components/view/Clipped";
import { formatValue } from "@/lib/format";
import type { PriorityLevelRow } from "@/lib/apf/status-types";
import type { Unit } from "@/lib/format";
import { RowAlertLink } from "@/components/view/RowAlertLink";
import { SortHeader } from "@/components/view/SortHeader";
import { sortRows, type SortState } from "@/lib/sort-rows";
import { StateBadge } from "./StateBadge";

type NumberKey = "nominalSeats" | "peakInUse" | "peakUtilisation" | "peakQueued" | "waitP99" | "dispatchedPerSecond" | "rejectedPerSecond";
type SortKey = "state" | "name" | NumberKey;

interface Column {
  key: NumberKey;
  label: string;
  title: string;
  format: (r: PriorityLevelRow) => string;
}

const column = (key: NumberKey, label: string, title: string, unit: Unit): Column => ({
  key,
  label,
  title,
  format: (r) => formatValue(r[key], unit),
});

// Seats, peak in use and peak use are of one API server, the busiest: each server has seats of its own, so a sum
// over servers beside one server's peak would show headroom no server has.
const BUSIEST = "on the busiest API server (the one whose seats of this level were fullest)";

const COLUMNS: Column[] = [
  column("nominalSeats", "Nominal seats", `The level's nominal seats ${BUSIEST}; each API server has its own`, "count"),
  column("peakInUse", "Peak in use", `Most seats in use at once ${BUSIEST}`, "count"),
  column("peakUtilisation", "Peak use", `Peak in use ÷ nominal seats ${BUSIEST}`, "ratio"),
  column("peakQueued", "Peak queued", "Most requests waiting at once on one API server (the one where most waited)", "count"),
  column("waitP99", "Wait p99", "Queue wait p99 over the window, from the summed histograms of the API servers in view", "seconds"),
  column("dispatchedPerSecond", "Dispatched", "Requests let through to execute, per second, summed over the API servers in view", "reqps"),
  column("rejectedPerSecond", "Rejected", "Requests rejected with 429, per second, summed over the API servers in view", "reqps"),
];

const serversTitle = (r: PriorityLevelRow) =>
  r.servers
    .map(
      (s) =>
        `${s.server}: ${formatValue(s.nominalSeats, "count")} seats, peak ${formatValue(s.peakInUse, "count")} in use` +
        (s.server === r.busiestServer ? " (busiest, shown)" : ""),
    )
    .join("\n");
const BUSIEST_COLUMNS = new Set<NumberKey>(["nominalSeats", "peakInUse", "peakUtilisation"]);

export function PriorityLevelTable({
  rows,
  chosen,
  onChoose,
  alertHref,
}: {
  rows: PriorityLevelRow[];
  chosen?: string | null;
  onChoose?: (level: string) => void;
  /** "Alert on this": the alert workbench with the level's rules drafted. */
  alertHref?: (level: string) => string;
}) {
  const [sort, setSort] = useState<SortState<SortKey>>({ key: "state", descending: false });
  const sorted = useMemo(() => {
    const order = new Map(rows.map((r, i) => [r.name, i]));
    return sortRows(rows, (r) => (sort.key === "state" ? order.get(r.name) : sort.key === "name" ? r.name : r[sort.key]), sort.descending);
  }, [rows, sort]);
  // Numbers sort largest first on the first click; names and the server's order ascending.
  const header = (key: SortKey, label: string, align: string, title?: string) => (
    <SortHeader
      key={key}
      sortKey={key}
      label={label}
      align={align}
      title={title}
      sort={sort}
      onSort={setSort}
      firstDescending={key !== "name" && key !== "state"}
    />
  );
  const rowClass = (r: PriorityLevelRow) =>
    [
      "border-t border-slate-100 align-top dark:border-slate-800",
      onChoose ? "cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/50" : "",
      chosen === r.name ? "bg-sky-50 dark:bg-sky-950/40" : "",
    ].join(" ");
  return (
    <div className="overflow-x-auto p-2">
      <table className="w-full text-sm" data-testid="apf-levels">
        <caption className="caption-bottom pt-1 text-left text-xs text-slate-500 dark:text-slate-400">
          Nominal seats, peak in use and peak use are per API server: each level&apos;s busiest one (hover the numbers for every
          server), never a sum over servers.
        </caption>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            {header("name", "Priority level", "text-left")}
            {header("state", "State", "text-left", "Rejecting, then queuing, then saturated levels first")}
            {COLUMNS.map((c) => header(c.key, c.label, "text-right", c.title))}
            <th scope="col" className="px-2 py-1 text-left font-medium">
              Why
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr
              key={r.name}
              data-level={r.name}
              data-state={r.state}
              aria-selected={onChoose ? chosen === r.name : undefined}
              onClick={onChoose ? () => onChoose(r.name) : undefined}
              className={rowClass(r)}
            >
              <td className="px-2 py-1 font-medium">
                <Clipped text={r.name} max={40} />
                {alertHref && <RowAlertLink href={alertHref(r.name)} />}
              </td>
              <td className="px-2 py-1">
                <StateBadge state={r.state} />
              </td>
              {COLUMNS.map((c) => (
                <td
                  key={c.key}
                  className="px-2 py-1 text-right tabular-nums"
                  title={BUSIEST_COLUMNS.has(c.key) && r.servers.length > 0 ? serversTitle(r) : undefined}
                >
                  {c.format(r)}
                </td>
              ))}
              <td className="px-2 py-1 text-xs text-slate-600 dark:text-slate-300">
                {r.reasons.map((w) => (
                  <div key={w}>{w}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
