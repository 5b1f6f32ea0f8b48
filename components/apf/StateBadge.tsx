// A priority level's state as a coloured badge: rejecting red, queuing amber, saturated orange, ok muted.
import type { LevelState } from "@/lib/apf/status-types";

const STYLE: Record<LevelState, string> = {
  rejecting: "bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-200",
  queuing: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200",
  saturated: "bg-orange-100 text-orange-800 dark:bg-orange-900/50 dark:text-orange-200",
  ok: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

export function StateBadge({ state }: { state: LevelState }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-semibold uppercase ${STYLE[state]}`}>{state}</span>;
}
