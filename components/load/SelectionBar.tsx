"use client";
// How requests are grouped (up to three dimensions, nested in order) and the filters in force, each removable.
import { Clipped } from "@/components/view/Clipped";
import { DIMENSION_NAMES, type Dimension } from "@/lib/audit/dimensions";
import { MAX_GROUP_DIMENSIONS, withoutFilter, type Selection } from "@/lib/url-state";

export const DIMENSION_WORDS: Record<Dimension, string> = {
  client: "client",
  user: "user",
  verb: "verb",
  resource: "resource",
  namespace: "namespace",
  source_ip: "source IP",
  code: "code",
};

const PRESETS: Dimension[][] = [["client"], ["client", "verb", "resource"], ["resource", "client"], ["user"], ["namespace"], ["source_ip"]];

export function SelectionBar({ selection, onChange }: { selection: Selection; onChange: (s: Selection) => void }) {
  const setLevel = (level: number, d: Dimension | "") => {
    const group = [...selection.group];
    if (d === "") group.splice(level);
    else group[level] = d;
    const unique = group.filter((x, i) => group.indexOf(x) === i);
    if (unique.length > 0) onChange({ ...selection, group: unique });
  };
  const chips = DIMENSION_NAMES.flatMap((d) => (selection.filters[d] ?? []).map((v) => ({ d, v })));
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="selection-bar">
      <span className="text-slate-500">Group by</span>
      {Array.from({ length: MAX_GROUP_DIMENSIONS }, (_, level) => level)
        .filter((level) => level <= selection.group.length)
        .map((level) => (
          <select
            key={level}
            aria-label={`grouping level ${level + 1}`}
            value={selection.group[level] ?? ""}
            onChange={(e) => setLevel(level, e.target.value as Dimension | "")}
            className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900"
          >
            {level > 0 && <option value="">—</option>}
            {DIMENSION_NAMES.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_WORDS[d]}
              </option>
            ))}
          </select>
        ))}
      <span className="text-slate-400">|</span>
      {PRESETS.map((p) => (
        <button
          key={p.join()}
          type="button"
          onClick={() => onChange({ ...selection, group: p })}
          className={`rounded px-1.5 py-0.5 text-xs ${p.join() === selection.group.join() ? "bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
        >
          {p.map((d) => DIMENSION_WORDS[d]).join(" → ")}
        </button>
      ))}
      {chips.length > 0 && <span className="text-slate-400">|</span>}
      {chips.map(({ d, v }) => (
        <span key={`${d}=${v}`} data-filter={d} className="flex max-w-sm items-center gap-1 rounded-full bg-slate-200 px-2 py-0.5 text-xs dark:bg-slate-800">
          <span className="text-slate-500">{DIMENSION_WORDS[d]}:</span>
          <Clipped text={v} max={40} />
          <button type="button" aria-label={`remove filter ${DIMENSION_WORDS[d]}`} onClick={() => onChange(withoutFilter(selection, d, v))} className="ml-0.5 hover:text-red-600">
            ×
          </button>
        </span>
      ))}
    </div>
  );
}
