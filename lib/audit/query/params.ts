// Query parameters shared by every audit query: a time window, grouping dimensions and filters. Dimension and
// filter names come from allow-lists; values are always bound as parameters, never spliced into SQL.
import type { DuckDBValue } from "@duckdb/node-api";
import { DERIVED } from "./derived";

export const DIMENSIONS = {
  client: "client",
  user: "username",
  verb: "verb",
  resource: DERIVED.resource_name,
  namespace: "namespace",
  source_ip: "source_ip",
  code: "CAST(code AS VARCHAR)",
} as const;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

export type Filters = Partial<Record<Dimension, string[]>>;

export interface Window {
  fromMs: number;
  toMs: number;
}

/** A dimension as a non-null string, so groups and joins treat "no namespace" as one value. */
export function dimensionSql(d: Dimension): string {
  return `coalesce(CAST(${DIMENSIONS[d]} AS VARCHAR), '')`;
}

/** ` AND dim IN ($1, $2) …` for every filter, appending the values to `params`. */
export function filtersSql(filters: Filters, params: DuckDBValue[]): string {
  let sql = "";
  for (const d of DIMENSION_NAMES) {
    const values = filters[d];
    if (!values || values.length === 0) continue;
    const placeholders = values.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    sql += ` AND ${dimensionSql(d)} IN (${placeholders.join(", ")})`;
  }
  return sql;
}
