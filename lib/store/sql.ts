// Small helpers for writing SQL safely: literals for values that cannot be bound as parameters (file paths
// inside table functions, timestamps in generated SQL), and plain JS values out of DuckDB rows.

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A TIMESTAMP literal (UTC, microsecond precision kept from milliseconds). */
export function sqlTimestamp(ms: number): string {
  return `TIMESTAMP '${new Date(ms).toISOString().replace("T", " ").replace("Z", "")}'`;
}

/** A list literal of file paths for read_parquet. */
export function sqlFileList(files: readonly string[]): string {
  return `[${files.map(sqlString).join(", ")}]`;
}

/** DuckDB returns BIGINT/HUGEINT as bigint; the API speaks JSON numbers. */
export function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
