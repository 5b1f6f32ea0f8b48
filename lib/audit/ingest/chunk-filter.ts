/** Rows of a staging file (or of a segment adopted from one) that are stored requests. */
export const STORED_FILTER = "reason IS NULL AND stage IN ('ResponseComplete', 'Panic')";

/**
 * Added to the stored columns of every segment written by copying rows (rather than adopting a staging file):
 * segments are read through STORED_FILTER, which DuckDB cannot bind when none of the files read has `reason`.
 */
export const SEGMENT_REASON_COLUMN = "CAST(NULL AS VARCHAR) AS reason";
