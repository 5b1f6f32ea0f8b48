// The vocabulary of audit queries, free of SQL so that the browser and the URL codec may use it: a time window,
// the dimensions requests are grouped and filtered by, and how a resource is written.

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

