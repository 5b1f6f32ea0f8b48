// Column sorting for tables: the server's order by default, text or numbers otherwise, missing values last.

export interface SortState<K extends string> {
  key: K;
  descending: boolean;
}

/** Sorts rows by `value(row)`, ties in the given order; missing values go last whichever way the column is sorted. */
export function sortRows<T>(rows: readonly T[], value: (r: T) => string | number | null | undefined, descending: boolean): T[] {
  const indexed = rows.map((row, index) => ({ row, index }));
  return indexed
    .sort((a, b) => {
      const [va, vb] = [value(a.row), value(b.row)];
      if (va === vb) return a.index - b.index;
      if (va === null || va === undefined) return 1;
      if (vb === null || vb === undefined) return -1;
      const cmp = typeof va === "string" ? va.localeCompare(String(vb)) : va - (vb as number);
      return descending ? -cmp : cmp;
    })
    .map((x) => x.row);
}
