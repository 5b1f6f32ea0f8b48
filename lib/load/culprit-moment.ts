// The moment the culprit's load began, as the charts mark it and the alert backtest measures its delay from: where
// its requests changed inside the window, or its first request when it jumped against the window before.
import type { CulpritAnswer } from "./culprit";

export interface CulpritMoment {
  /** "first request of telemetry-agent/v2", "telemetry-agent/v2 rose". */
  name: string;
  atMs: number;
}

/** Client names are cut to this on chart marks and in sentences. */
const NAME_MAX = 40;

export function culpritMoment(answer: CulpritAnswer | undefined): CulpritMoment | null {
  const v = answer?.verdict;
  const c = v?.culprit;
  if (!v || !c) return null;
  const name = c.client.slice(0, NAME_MAX);
  if (v.kind === "change" && c.change) return { name: `${name} ${c.change.appeared ? "appeared" : "rose"}`, atMs: c.change.atMs };
  const first = answer.firstSeenMs;
  return first && v.kind === "jump" ? { name: `first request of ${name}`, atMs: first } : null;
}
