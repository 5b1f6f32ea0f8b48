// The one relation every audit query reads: completed requests from the hot table and the Parquet segments that
// overlap the window, plus requests seen only at an early stage (e.g. WATCHes still open).
import path from "node:path";
import { EVENT_COLUMN_NAMES } from "../columns";
import { STORED_FILTER } from "../ingest/chunk-filter";
import { sqlFileList, sqlTimestamp } from "../../store/sql";

export interface SegmentInfo {
  file: string;
  min_ts: number;
  max_ts: number;
}

const COLS = EVENT_COLUMN_NAMES.join(", ");

export function eventsRelation(segmentsDir: string, segments: readonly SegmentInfo[], fromMs: number, toMs: number): string {
  const window = `ts >= ${sqlTimestamp(fromMs)} AND ts < ${sqlTimestamp(toMs)}`;
  const files = segments.filter((s) => s.max_ts >= fromMs && s.min_ts < toMs).map((s) => path.join(segmentsDir, s.file));
  const parts = [
    `SELECT ${COLS} FROM events_hot WHERE ${window}`,
    `SELECT ${COLS} FROM open_requests WHERE ${window}`,
    ...(files.length > 0 ? [`SELECT ${COLS} FROM read_parquet(${sqlFileList(files)}, union_by_name = true) WHERE ${STORED_FILTER} AND ${window}`] : []),
  ];
  return `(${parts.join(" UNION ALL ")})`;
}
