// The breakdown table's model: rows of the top-N groups plus "other", sortable by any column ("other" stays last),
// each with a sparkline of its requests over time, and the CSV of exactly what is shown.
import type { BreakdownAnswer } from "../audit/answers";
import type { GroupSeries } from "../audit/answers";
import { toCsv } from "./csv";
import { sortRows as sortBy } from "../sort-rows";

export const OTHER_LABEL = "other";

export interface TableRow {
  /** Stable id: the group's keys; "other" for the rest. */
  id: string;
  keys: string[] | null;
  requests: number;
  rate: number;
  share: number;
  errors: number;
  throttled: number;
  p50: number | null;
  p99: number | null;
  sources: number;
  /** Requests per second over the window, oldest first (empty until the time series is in). */
  spark: number[];
}

export type SortKey = "group" | "requests" | "rate" | "share" | "errors" | "throttled" | "p50" | "p99" | "sources";

const idOf = (keys: string[] | null) => (keys === null ? OTHER_LABEL : JSON.stringify(keys));

export function tableRows(answer: BreakdownAnswer, series: readonly GroupSeries[] | undefined): TableRow[] {
  const sparks = new Map((series ?? []).map((s) => [idOf(s.keys), s.points.map(([, v]) => v)]));
  return answer.rows.map((r) => ({
    id: idOf(r.keys),
    keys: r.keys,
    requests: r.requests,
    rate: r.rate,
    share: r.share,
    errors: r.errors,
    throttled: r.throttled,
    p50: r.p50,
    p99: r.p99,
    sources: r.sources,
    spark: sparks.get(idOf(r.keys)) ?? [],
  }));
}

/** The groups sorted by a column (ties in the server's order, by requests), the "other" row always last. */
export function sortRows(rows: readonly TableRow[], key: SortKey, descending: boolean): TableRow[] {
  const value = (r: TableRow): number | string | null => (key === "group" ? (r.keys ?? []).join("\u0000") : r[key]);
  return [...sortBy(rows.filter((r) => r.keys !== null), value, descending), ...rows.filter((r) => r.keys === null)];
}

export function tableCsv(rows: readonly TableRow[], groupBy: readonly string[]): string {
  const header = [...groupBy, "requests", "rate_per_second", "share", "errors_5xx", "throttled_429", "p50_seconds", "p99_seconds", "distinct_sources"];
  return toCsv(
    header,
    rows.map((r) => [
      ...(r.keys ?? groupBy.map((_, i) => (i === 0 ? OTHER_LABEL : ""))),
      r.requests,
      Number(r.rate.toFixed(3)),
      Number(r.share.toFixed(4)),
      r.errors,
      r.throttled,
      r.p50 === null ? null : Number(r.p50.toFixed(6)),
      r.p99 === null ? null : Number(r.p99.toFixed(6)),
      r.sources,
    ]),
  );
}

/** SVG polyline points of a sparkline in a w × h box (0 at the bottom, the series' maximum at the top). */
export function sparklinePoints(values: readonly number[], w: number, h: number): string {
  if (values.length === 0) return "";
  const max = Math.max(...values, 0);
  const x = (i: number) => (values.length === 1 ? w / 2 : (i / (values.length - 1)) * w);
  const y = (v: number) => (max === 0 ? h : h - (v / max) * h);
  return values.map((v, i) => `${+x(i).toFixed(1)},${+y(v).toFixed(1)}`).join(" ");
}
