// The relation every aggregate query reads, in rollup form: the rollups of segments for the whole 5-minute buckets
// inside the window, and — aggregated on the fly with the same SQL — the requests at the window's edges, in
// segments without a rollup yet, in the hot table and still open. Exact, and fast on long windows.
import path from "node:path";
import { EVENT_COLUMN_NAMES } from "../columns";
import { STORED_FILTER } from "../ingest/chunk-filter";
import { coarseFile, ROLLUP_SECONDS, rollupSelect, type RollupLevel } from "../rollup/rollup-sql";
import { sqlFileList, sqlTimestamp } from "../../store/sql";

export interface CatalogEntry {
  file: string;
  rollup_file: string | null;
  min_ts: number;
  max_ts: number;
}

const COLS = EVENT_COLUMN_NAMES.join(", ");

export function aggregateRelation(segmentsDir: string, catalog: readonly CatalogEntry[], fromMs: number, toMs: number, level: RollupLevel = "fine"): string {
  const step = ROLLUP_SECONDS * 1000;
  const overlapping = catalog.filter((s) => s.max_ts >= fromMs && s.min_ts < toMs);
  const withRollup = overlapping.filter((s) => s.rollup_file !== null);
  // Whole buckets come from the rollups. A bucket cut by the window's edge is whole too when no rolled-up request
  // lies beyond that edge (a window around all the data): only then is it read from the rollups as well.
  const before = fromMs <= Math.min(...withRollup.map((s) => s.min_ts));
  const after = toMs > Math.max(...withRollup.map((s) => s.max_ts));
  const inner = { from: (before ? Math.floor : Math.ceil)(fromMs / step) * step, to: (after ? Math.ceil : Math.floor)(toMs / step) * step };
  const hasInner = inner.to > inner.from;
  const rolled = hasInner ? withRollup : [];
  const unrolled = overlapping.filter((s) => !rolled.includes(s));
  const full = (f: string) => path.join(segmentsDir, f);
  const between = (a: number, b: number) => `ts >= ${sqlTimestamp(a)} AND ts < ${sqlTimestamp(b)}`;
  const window = between(fromMs, toMs);

  // Each edge reads only the segments holding requests in it, and (segments being in time order once compacted,
  // with one plain range per scan so DuckDB can skip row groups) only the row groups around it.
  const edge = (a: number, b: number) => {
    const files = rolled.filter((s) => s.min_ts < b && s.max_ts >= a).map((s) => full(s.file));
    return files.length > 0 && b > a
      ? [`SELECT ${COLS} FROM read_parquet(${sqlFileList(files)}, union_by_name = true) WHERE ${STORED_FILTER} AND ${between(a, b)}`]
      : [];
  };
  const raw = [
    `SELECT ${COLS} FROM events_hot WHERE ${window}`,
    `SELECT ${COLS} FROM open_requests WHERE ${window}`,
    ...(unrolled.length > 0
      ? [`SELECT ${COLS} FROM read_parquet(${sqlFileList(unrolled.map((s) => full(s.file)))}, union_by_name = true) WHERE ${STORED_FILTER} AND ${window}`]
      : []),
    ...(rolled.length > 0 ? [...edge(fromMs, inner.from), ...edge(inner.to, toMs)] : []),
  ];
  const parts = [rollupSelect(`(${raw.join(" UNION ALL ")})`, level)];
  if (rolled.length > 0) {
    const file = (s: CatalogEntry) => full(level === "fine" ? s.rollup_file! : coarseFile(s.rollup_file!));
    parts.push(`SELECT * FROM read_parquet(${sqlFileList(rolled.map(file))}) WHERE bucket >= ${sqlTimestamp(inner.from)} AND bucket < ${sqlTimestamp(inner.to)}`);
  }
  return `(${parts.join(" UNION ALL BY NAME ")})`;
}
