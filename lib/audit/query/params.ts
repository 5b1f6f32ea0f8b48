// SQL shared by every audit query: filter conditions over rollup rows or stored requests. Dimension and filter
// names come from allow-lists (dimensions.ts); values are always bound as parameters, never spliced into SQL.
import type { DuckDBValue } from "@duckdb/node-api";
import { DIMENSION_COLUMNS, DIMENSION_NAMES, parseResource, type Filters } from "../dimensions";

/** Stored requests have no `path` column: it is the URI's path of a non-resource request. */
export function rawColumn(column: string): string {
  return column === "path" ? "CASE WHEN resource IS NULL THEN split_part(request_uri, '?', 1) END" : column;
}

/** Conditions for the filters, over rollup columns or (raw) stored requests; values go to `params`. */
export function filtersSql(filters: Filters, params: DuckDBValue[], raw = false): string {
  const col = (c: string) => (raw ? rawColumn(c) : c);
  const bind = (v: DuckDBValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  let sql = "";
  for (const d of DIMENSION_NAMES) {
    const values = filters[d];
    if (!values || values.length === 0) continue;
    const alternatives = values.map((v) => {
      if (d === "resource") {
        const k = parseResource(v);
        return `(${(["api_group", "resource", "subresource", "path"] as const).map((c) => `${col(c)} IS NOT DISTINCT FROM ${bind(k[c])}`).join(" AND ")})`;
      }
      if (d === "code") return `CAST(code AS VARCHAR) = ${bind(v)}`;
      return v === "" ? `${col(DIMENSION_COLUMNS[d][0]!)} IS NULL` : `${col(DIMENSION_COLUMNS[d][0]!)} = ${bind(v)}`;
    });
    sql += ` AND (${alternatives.join(" OR ")})`;
  }
  return sql;
}
