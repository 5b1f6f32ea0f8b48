// Query parameters shared by every audit query: a time window, grouping dimensions and filters. Dimension and
// filter names come from allow-lists; values are always bound as parameters, never spliced into SQL.
import type { DuckDBValue } from "@duckdb/node-api";

export const DIMENSION_NAMES = ["client", "user", "verb", "resource", "namespace", "source_ip", "code"] as const;
export type Dimension = (typeof DIMENSION_NAMES)[number];
export type Filters = Partial<Record<Dimension, string[]>>;

export interface Window {
  fromMs: number;
  toMs: number;
}

/** The columns each dimension groups by (in rollup rows; see rawColumn for stored requests). */
export const DIMENSION_COLUMNS: Record<Dimension, readonly string[]> = {
  client: ["client"],
  user: ["username"],
  verb: ["verb"],
  resource: ["api_group", "resource", "subresource", "path"],
  namespace: ["namespace"],
  source_ip: ["source_ip"],
  code: ["code"],
};

/** Stored requests have no `path` column: it is the URI's path of a non-resource request. */
export function rawColumn(column: string): string {
  return column === "path" ? "CASE WHEN resource IS NULL THEN split_part(request_uri, '?', 1) END" : column;
}

export interface ResourceKey {
  api_group: string;
  resource: string | null;
  subresource: string | null;
  path: string | null;
}

/** `pods`, `deployments.apps/scale`, or the path of a non-resource request such as `/healthz`. */
export function formatResource(k: ResourceKey): string {
  if (k.resource === null) return k.path ?? "";
  return `${k.resource}${k.api_group ? `.${k.api_group}` : ""}${k.subresource ? `/${k.subresource}` : ""}`;
}

export function parseResource(text: string): ResourceKey {
  if (text.startsWith("/")) return { api_group: "", resource: null, subresource: null, path: text };
  const [main = "", subresource = null] = text.split(/\/(.*)/s, 2) as [string, string | undefined];
  const dot = main.indexOf(".");
  return {
    api_group: dot === -1 ? "" : main.slice(dot + 1),
    resource: dot === -1 ? main : main.slice(0, dot),
    subresource: subresource || null,
    path: null,
  };
}

/** The display value of a dimension from a row holding its columns. */
export function dimensionValue(d: Dimension, row: Record<string, unknown>): string {
  if (d === "resource") return formatResource(row as unknown as ResourceKey);
  const v = row[DIMENSION_COLUMNS[d][0]!];
  return v === null || v === undefined ? "" : String(v);
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
