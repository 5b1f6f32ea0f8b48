// The backtest in one sentence, as an SRE asks it: would this rule have fired, when, how long after the event that
// matters, and for how long.
import { formatDuration } from "../duration";
import { formatUtc } from "../format";
import type { Backtest } from "./backtest";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const duration = (ms: number) => formatDuration(Math.max(0, Math.round(ms / 1000)));

/** `reference`: an event to measure the delay from (the culprit's first request, an incident's start). */
export function backtestSentence(b: Backtest, forMs: number, reference?: { label: string; ms: number }): string {
  if (b.firstFiredMs === null) {
    const pending = b.series.reduce((n, s) => n + s.spans.filter((x) => x.state === "pending").length, 0);
    if (pending === 0) return "Would not have fired in this window: the expression returned nothing.";
    return `Would not have fired in this window: pending ${plural(pending, "time")}, never for its full for (${duration(forMs)}).`;
  }
  const at = `${formatUtc(b.firstFiredMs)} UTC`;
  if (b.firingAtStart) {
    const still = b.series.some((s) => s.spans.some((x) => x.state === "firing" && !x.ended));
    return `Already firing when the window starts (since ${at}), firing for ${duration(b.firingMs)} of the window${still ? " and still at its end" : ""}; ${b.firedSeries} series.`;
  }
  let after = "";
  if (reference) {
    const delta = b.firstFiredMs - reference.ms;
    after = delta >= 0 ? `, ${duration(delta)} after ${reference.label}` : `, ${duration(-delta)} before ${reference.label}`;
  }
  const still = b.series.some((s) => s.spans.some((x) => x.state === "firing" && !x.ended));
  return `Would have fired at ${at}${after}, firing for ${duration(b.firingMs)}${still ? " and still at the window's end" : ""}; ${b.firedSeries} series.`;
}
