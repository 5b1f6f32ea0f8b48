/** Rows of a staging file (or of a segment adopted from one) that are stored requests. */
export const STORED_FILTER = "reason IS NULL AND stage IN ('ResponseComplete', 'Panic')";
