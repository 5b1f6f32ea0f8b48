// The culprit card's words: which comparison named the client, and with what numbers. Pure, so every verdict's
// sentence is tested.
import { formatUtc, formatValue } from "../format";
import { MIN_JUMP, type CulpritCandidate, type CulpritVerdict, type Shares } from "./culprit";

const pct = (x: number) => formatValue(x, "ratio");
const time = (ms: number) => `${formatUtc(ms, false).slice(11)} UTC`;
const measure = (c: CulpritCandidate) => (c.risenBy === "cost" ? "share of the API server's busy time" : "share of requests");
const pick = (s: Shares, c: CulpritCandidate) => (c.risenBy === "cost" ? s.costShare : s.share);
/** The other measure, from `a` to `b`. */
const other = (c: CulpritCandidate, a: Shares | null, b: Shares) =>
  c.risenBy === "cost" ? `requests: ${a ? `${pct(a.share)} → ` : ""}${pct(b.share)}` : `busy time: ${a ? `${pct(a.costShare)} → ` : ""}${pct(b.costShare)}`;

export function culpritTitle(v: CulpritVerdict): string {
  if (v.kind === "jump" || v.kind === "change") return "Likely culprit";
  return v.clients === 1 ? "Only client" : "Costliest client";
}

export function culpritHeadline(v: CulpritVerdict): string {
  const c = v.culprit;
  if (!c) return "No requests in this window.";
  if (v.kind === "jump" && c.before) {
    return `Its ${measure(c)} rose from ${pct(pick(c.before, c))} in the window before to ${pct(pick(c.now, c))} (${other(c, c.before, c.now)}).`;
  }
  if (v.kind === "change" && c.change) {
    const ch = c.change;
    const compared = v.hasBaseline ? "" : " Nothing is stored before this window, so it was compared within it.";
    return ch.appeared
      ? `It appeared at ${time(ch.atMs)} inside this window and took ${pct(pick(ch.after, c))} of the ${c.risenBy === "cost" ? "busy time" : "requests"} from then on (${other(c, null, ch.after)}).${compared}`
      : `Its ${measure(c)} rose from ${pct(pick(ch.before, c))} to ${pct(pick(ch.after, c))} at ${time(ch.atMs)} inside this window (${other(c, ch.before, ch.after)}).${compared}`;
  }
  const share = `${pct(c.now.costShare)} of the API server's busy time, ${pct(c.now.share)} of requests`;
  if (v.clients === 1) return `It is the only client sending requests in this window (${c.now.requests.toLocaleString("en-US")} requests).`;
  const why = v.hasBaseline
    ? `No client's share rose by ${pct(MIN_JUMP)} or more, against the window before or inside this one`
    : `Nothing is stored before this window and no client's share rose by ${pct(MIN_JUMP)} or more inside it`;
  return `${why}: steady load. This client costs the most (${share}).`;
}

/** The others that rose too, when two culprits came at once. */
export function alsoRose(v: CulpritVerdict): string | null {
  if (v.also.length === 0) return null;
  const parts = v.also.map((c) => {
    const s = c.change && !(v.kind === "jump") ? c.change.after : c.now;
    return `${c.client} (${c.risenBy === "cost" ? "busy time" : "requests"} ${pct(pick(s, c))}${c.change?.appeared && v.kind === "change" ? `, appeared at ${time(c.change.atMs)}` : ""})`;
  });
  return `Also rose: ${parts.join(", ")}.`;
}
