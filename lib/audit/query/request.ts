// Parsing the query string of the audit API: one place, validated, with messages that say what to fix.
import { parseTimeRef, rangeProblem, resolveRange } from "../../time-range";
import { DIMENSION_NAMES, type Dimension, type Filters, type Window } from "../dimensions";

export interface AuditRequest {
  window: Window;
  groupBy: Dimension[];
  filters: Filters;
  top: number;
  widthPx: number;
  limit: number;
  cursor?: { tsMs: number; auditId: string };
}

/** The window's length in seconds (at least 1: rates divide by it). */
export const windowSeconds = (r: AuditRequest): number => Math.max(1, (r.window.toMs - r.window.fromMs) / 1000);

const int = (text: string | null, fallback: number, min: number, max: number, name: string): number | string => {
  if (text === null) return fallback;
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min && n <= max ? n : `${name} must be a whole number from ${min} to ${max}`;
};

/** The parsed request, or a message saying what is wrong with it. */
export function parseAuditRequest(search: URLSearchParams, nowMs: number, defaultGroup: Dimension[] = ["client"]): AuditRequest | string {
  const from = parseTimeRef(search.get("from") ?? "now-1h");
  const to = parseTimeRef(search.get("to") ?? "now");
  if (!from || !to) return 'from and to must be "now", "now-<duration>" such as now-1h, or epoch milliseconds';
  const problem = rangeProblem({ from, to }, nowMs);
  if (problem) return problem;
  const { startMs, endMs } = resolveRange({ from, to }, nowMs);

  const group = search.get("group");
  const groupBy = group === null ? defaultGroup : (group.split(",").filter(Boolean) as Dimension[]);
  const unknown = groupBy.find((d) => !DIMENSION_NAMES.includes(d));
  if (unknown !== undefined || groupBy.length === 0 || groupBy.length > 4) {
    return `group must be 1 to 4 of ${DIMENSION_NAMES.join(", ")}`;
  }
  const filters: Filters = {};
  for (const d of DIMENSION_NAMES) {
    const values = search.getAll(d);
    if (values.length > 100 || values.some((v) => v.length > 4096)) return `too many or too long values for filter ${d}`;
    if (values.length > 0) filters[d] = values;
  }
  const top = int(search.get("top"), 10, 1, 100, "top");
  const widthPx = int(search.get("width"), 800, 100, 8000, "width");
  const limit = int(search.get("limit"), 100, 1, 1000, "limit");
  for (const v of [top, widthPx, limit]) if (typeof v === "string") return v;
  let cursor: AuditRequest["cursor"];
  const c = search.get("cursor");
  if (c !== null) {
    const m = /^(\d{1,15}):(.{1,200})$/.exec(c);
    if (!m) return "cursor must be the `next` value of a previous page";
    cursor = { tsMs: Number(m[1]), auditId: m[2]! };
  }
  return { window: { fromMs: startMs, toMs: endMs }, groupBy, filters, top: top as number, widthPx: widthPx as number, limit: limit as number, cursor };
}
