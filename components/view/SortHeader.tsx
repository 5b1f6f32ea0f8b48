// A sortable column header: a click sorts by the column, a second click turns the order round.
import type { SortState } from "@/lib/sort-rows";

export function SortHeader<K extends string>({
  sortKey,
  label,
  align,
  title,
  sort,
  onSort,
  firstDescending,
}: {
  sortKey: K;
  label: string;
  align: string;
  title?: string;
  sort: SortState<K>;
  onSort: (update: (s: SortState<K>) => SortState<K>) => void;
  /** The order of the first click on this column. */
  firstDescending: boolean;
}) {
  const active = sort.key === sortKey;
  return (
    <th
      scope="col"
      title={title}
      aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
      className={`px-2 py-1 font-medium ${align}`}
    >
      <button
        type="button"
        className="hover:text-sky-600"
        onClick={() => onSort((s) => ({ key: sortKey, descending: s.key === sortKey ? !s.descending : firstDescending }))}
      >
        {label}
        {active ? (sort.descending ? " ↓" : " ↑") : ""}
      </button>
    </th>
  );
}
