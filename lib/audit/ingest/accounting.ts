// Ingest accounting: what each source delivered, what was skipped and why (with a few samples to show).
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Skip, SkipReason } from "../reasons";

/** Samples kept per source and reason: enough to show what went wrong, bounded for hostile input. */
export const SAMPLES_PER_REASON = 5;

export interface Outcome {
  accepted: number;
  /** Requests seen only at an early stage (e.g. a WATCH still running): stored, counted once completed. */
  open: number;
  /**
   * Earlier stages (RequestReceived, ResponseStarted) of a request stored from a later stage read with them: one
   * row per request, yet every event read is counted (events read = accepted + open + merged + skipped).
   */
  merged: number;
  skipped: Partial<Record<SkipReason, number>>;
}

export function emptyOutcome(): Outcome {
  return { accepted: 0, open: 0, merged: 0, skipped: {} };
}

export function addSkips(outcome: Outcome, skips: Iterable<{ reason: SkipReason; count: number }>): void {
  for (const { reason, count } of skips) if (count > 0) outcome.skipped[reason] = (outcome.skipped[reason] ?? 0) + count;
}

export function mergeOutcomes(a: Outcome, b: Outcome): Outcome {
  const out: Outcome = { accepted: a.accepted + b.accepted, open: a.open + b.open, merged: a.merged + b.merged, skipped: { ...a.skipped } };
  addSkips(out, Object.entries(b.skipped).map(([reason, count]) => ({ reason: reason as SkipReason, count: count ?? 0 })));
  return out;
}

export function totalSkipped(o: Outcome): number {
  return Object.values(o.skipped).reduce((a, b) => a + (b ?? 0), 0);
}

/** Adds an outcome to the running totals of a source and keeps a few samples per reason. */
export async function recordOutcome(conn: DuckDBConnection, source: string, outcome: Outcome, samples: Skip[]): Promise<void> {
  const counts: Array<[string, number]> = [["accepted", outcome.accepted], ["open", outcome.open], ["merged", outcome.merged]];
  for (const [reason, n] of Object.entries(outcome.skipped)) counts.push([`skipped:${reason}`, n ?? 0]);
  for (const [name, n] of counts) {
    if (n === 0) continue;
    await conn.run(
      "INSERT INTO ingest_counts VALUES ($1, $2, $3) ON CONFLICT (source, outcome) DO UPDATE SET count = count + excluded.count",
      [source, name, n],
    );
  }
  const byReason = new Map<string, Skip[]>();
  for (const s of samples) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  for (const [reason, list] of byReason) {
    const have = (await conn.runAndReadAll("SELECT count(*)::INTEGER FROM skip_samples WHERE source = $1 AND reason = $2", [source, reason])).getRows()[0]![0] as number;
    for (const s of list.slice(0, Math.max(0, SAMPLES_PER_REASON - have))) {
      await conn.run("INSERT INTO skip_samples VALUES ($1, $2, $3, $4, now())", [source, reason, s.detail.slice(0, 300), s.line ?? null]);
    }
  }
}
