// The one state ladder of every panel, as a pure function of its query:
//   loading (skeleton: nothing yet) → ready (the data) → stale (the data kept, with "refresh failed: <reason>": a
//   refetch failed after an earlier answer) → error (it failed and there is nothing to show) → empty (the panel's own
//   empty message) → not-covered (this Prometheus lacks the metrics, with the reason).
// An earlier empty or not-covered answer stays as it is when a refetch fails, with the same notice.
import type { NotCovered, PanelAnswer } from "@/lib/panels/types";

export type PanelState = "loading" | "ready" | "stale" | "error" | "empty" | "not-covered";

/** What the ladder reads of a query (TanStack Query's result has these). */
export interface QueryStatus<T> {
  data: T | undefined;
  isError: boolean;
  error: Error | null;
}

export interface AnswerReading<T> {
  /** Why this answer cannot be drawn (this Prometheus lacks the metrics), or null. */
  notCovered?: (data: T) => string | null;
  isEmpty: (data: T) => boolean;
}

export function panelState<T>(query: Pick<QueryStatus<T>, "data" | "isError">, reading: AnswerReading<T>): PanelState {
  const { data } = query;
  if (data === undefined) return query.isError ? "error" : "loading";
  if (reading.notCovered?.(data) != null) return "not-covered";
  if (reading.isEmpty(data)) return "empty";
  return query.isError ? "stale" : "ready";
}

/** The notice over an answer kept after a failed refetch; undefined while the answer is fresh or there is none. */
export function refreshNotice<T>(query: QueryStatus<T>): string | undefined {
  return query.data !== undefined && query.isError ? `refresh failed: ${query.error?.message ?? "unknown error"}` : undefined;
}

/** The reason of an answer that says this Prometheus cannot give it (a panel, the webhook or APF summary). */
export function notCoveredReason(data: { status: string }): string | null {
  return data.status === "not-covered" ? (data as NotCovered).message : null;
}

/** A Prometheus panel's answer with nothing to draw (reference lines alone are nothing). */
export function isEmptyPanel(data: PanelAnswer): boolean {
  if (data.status !== "ok") return false;
  if (data.kind === "bar") return data.bars.length === 0;
  if (data.kind === "heatmap") return data.times.length === 0;
  return data.series.every((s) => s.role === "limit");
}
