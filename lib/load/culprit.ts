// Naming the culprit. Cost first: what hurts the API server is the time its requests keep it busy, not their
// number, so shares of busy time are weighed before shares of requests. Three comparisons, most telling first:
// - "jump": against the window before, of the same length, when enough is stored there;
// - "change": inside the window, when there is no usable "before" (a new installation, an uploaded log): a client
//   that appears, or whose share rises sharply, at a point of its own time series;
// - "costliest": no share rose; the client that kept the API server busiest is named, and the card says so.

import type { FanoutRow } from "../audit/answers";
import type { ListHygieneRow } from "../audit/answers";

/** One client's load in one window (`client` null for the other clients together). */
export interface ClientLoad {
  client: string | null;
  requests: number;
  /** Busy time of its requests (seconds): the cost measure. */
  seconds: number;
  throttled: number;
  errors: number;
}

/** One client's load bucket by bucket inside the window (arrays indexed like WindowSeries' buckets). */
export interface ClientSeries {
  client: string | null;
  requests: number[];
  seconds: number[];
  /** Its first request inside the window (epoch ms). */
  firstMs: number | null;
}

export interface WindowSeries {
  /** Start of the first bucket (epoch ms); buckets are `stepMs` long. */
  startMs: number;
  stepMs: number;
  clients: ClientSeries[];
}

export type Measure = "cost" | "requests";

export interface Shares {
  /** Of requests. */
  share: number;
  /** Of busy time. */
  costShare: number;
}

/** A rise found inside the window: the client's shares before and after a point of its time series. */
export interface Change {
  /** Where the rise starts (epoch ms): its first request when it appeared, else the start of the bucket. */
  atMs: number;
  /** Whether it sent nothing inside the window before that point. */
  appeared: boolean;
  before: Shares;
  after: Shares;
}

export interface CulpritCandidate {
  client: string;
  now: Shares & { requests: number; seconds: number; throttled: number; errors: number };
  /** The window before; null when it holds too little to compare with. */
  before: (Shares & { requests: number; throttled: number }) | null;
  /** The change inside the window, when one was found. */
  change: Change | null;
  /** The rise, in share points (0.4 = 40 points), of the measure in `risenBy`: against before, or inside the window. */
  rise: number;
  risenBy: Measure;
}

export type VerdictKind = "jump" | "change" | "costliest" | "none";

export interface CulpritVerdict {
  kind: VerdictKind;
  /** Whether the window before held enough requests to compare with. */
  hasBaseline: boolean;
  /** Distinct clients in the window (the other row not counted). */
  clients: number;
  culprit: CulpritCandidate | null;
  /** Other clients whose share rose past the threshold too (two culprits at once), highest rise first. */
  also: CulpritCandidate[];
  /** The leading candidates, culprit first. */
  ranked: CulpritCandidate[];
  /** 429s all other clients got, in the window and before (null: no baseline). */
  othersThrottled: { now: number; before: number | null };
}

/** A rise smaller than this (in share points) is not called a rise. */
export const MIN_JUMP = 0.05;
/** The window before is a baseline only with at least this many requests… */
export const MIN_BASELINE_REQUESTS = 100;
/** …and at least this fraction of the window's own requests (a few stray requests are no baseline). */
export const MIN_BASELINE_FRACTION = 0.02;
const RANKED = 5;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const rowsSum = (rows: readonly ClientLoad[], f: (r: ClientLoad) => number) => sum(rows.map(f));

export interface Totals {
  requests: number;
  seconds: number;
}

const sharesOf = (r: { requests: number; seconds: number }, t: Totals): Shares => ({ share: ratio(r.requests, t.requests), costShare: ratio(r.seconds, t.seconds) });

/** The rise from `a` to `b`: of busy time when the window has any and it rose, else of requests — cost first. */
function riseOf(a: Shares, b: Shares, costKnown: boolean): { rise: number; risenBy: Measure } {
  const byCost = b.costShare - a.costShare;
  const byRequests = b.share - a.share;
  if (costKnown && (byCost >= MIN_JUMP || byRequests < MIN_JUMP)) return { rise: byCost, risenBy: "cost" };
  return { rise: byRequests, risenBy: "requests" };
}

/** All clients' requests and busy time per bucket. */
export function bucketTotals(series: WindowSeries): Totals[] {
  const n = Math.max(0, ...series.clients.map((c) => c.requests.length));
  return Array.from({ length: n }, (_, i) => ({
    requests: sum(series.clients.map((c) => c.requests[i] ?? 0)),
    seconds: sum(series.clients.map((c) => c.seconds[i] ?? 0)),
  }));
}

type Found = Change & { rise: number; risenBy: Measure };

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The point of a client's series where its share rises the most: the split of the window's buckets into before
 * and after that maximises the rise of its share of busy time (or, when that did not rise, of requests). A rise
 * counts only as far as both the share over each side and the median of the buckets' shares on each side rose:
 * a few slow requests in a quiet bucket move the first, not the second. Each side keeps at least a tenth of the
 * buckets holding requests (two at least), so an edge bucket alone is never called a change.
 */
export function findChange(series: WindowSeries, totals: readonly Totals[], client: ClientSeries, costKnown: boolean): Found | null {
  const populated = totals.map((t, i) => (t.requests > 0 ? i : -1)).filter((i) => i >= 0);
  const minSide = Math.max(2, Math.ceil(populated.length / 10));
  if (populated.length < 2 * minSide) return null;
  const mine = (i: number) => ({ requests: client.requests[i] ?? 0, seconds: client.seconds[i] ?? 0 });
  const perBucket = populated.map((i) => sharesOf(mine(i), totals[i]!));
  const sumOf = (idx: number[], f: (i: number) => Totals) => ({ requests: sum(idx.map((i) => f(i).requests)), seconds: sum(idx.map((i) => f(i).seconds)) });
  const best: Partial<Record<Measure, Found>> = {};
  for (let k = minSide; k <= populated.length - minSide; k++) {
    const left = populated.slice(0, k);
    const right = populated.slice(k);
    const before = sharesOf(sumOf(left, mine), sumOf(left, (i) => totals[i]!));
    const after = sharesOf(sumOf(right, mine), sumOf(right, (i) => totals[i]!));
    const appeared = before.share === 0;
    const atMs = appeared && client.firstMs !== null ? client.firstMs : series.startMs + populated[k]! * series.stepMs;
    for (const m of ["cost", "requests"] as const) {
      const pick = (x: Shares) => (m === "cost" ? x.costShare : x.share);
      const medianRise = median(perBucket.slice(k).map(pick)) - median(perBucket.slice(0, k).map(pick));
      const rise = Math.min(pick(after) - pick(before), medianRise);
      if (best[m] === undefined || rise > best[m].rise) best[m] = { atMs, appeared, before, after, rise, risenBy: m };
    }
  }
  const { cost, requests } = best;
  if (costKnown && cost && (cost.rise >= MIN_JUMP || !requests || requests.rise < MIN_JUMP)) return cost;
  return requests ?? null;
}

export interface CulpritInput {
  now: readonly ClientLoad[];
  before: readonly ClientLoad[];
  /** The window bucket by bucket, for the change inside it; null when not asked (a baseline decided). */
  series: WindowSeries | null;
}

/** Whether the window before holds enough to compare shares with. */
export function hasBaseline(now: readonly ClientLoad[], before: readonly ClientLoad[]): boolean {
  const b = rowsSum(before, (r) => r.requests);
  return b >= MIN_BASELINE_REQUESTS && b >= MIN_BASELINE_FRACTION * rowsSum(now, (r) => r.requests);
}

/** A rise of busy time before a rise of requests alone, then the larger rise. */
const byRise = (a: CulpritCandidate, b: CulpritCandidate) =>
  (a.risenBy === b.risenBy ? 0 : a.risenBy === "cost" ? -1 : 1) || b.rise - a.rise || b.now.seconds - a.now.seconds || a.client.localeCompare(b.client);
/** The costliest first: busy time, then the 429s it got (its pressure on APF), then requests. */
const byCost = (a: CulpritCandidate, b: CulpritCandidate) =>
  b.now.seconds - a.now.seconds || b.now.throttled - a.now.throttled || b.now.requests - a.now.requests || a.client.localeCompare(b.client);

export function scoreCulprits({ now, before, series }: CulpritInput): CulpritVerdict {
  const total = { requests: rowsSum(now, (r) => r.requests), seconds: rowsSum(now, (r) => r.seconds) };
  const totalBefore = { requests: rowsSum(before, (r) => r.requests), seconds: rowsSum(before, (r) => r.seconds) };
  const baseline = hasBaseline(now, before);
  const costKnown = total.seconds > 0;
  const previous = new Map(before.filter((r) => r.client !== null).map((r) => [r.client!, r]));
  const seriesOf = new Map((series?.clients ?? []).filter((c) => c.client !== null).map((c) => [c.client!, c]));
  const totals = series ? bucketTotals(series) : [];

  const candidates: CulpritCandidate[] = now
    .filter((r): r is ClientLoad & { client: string } => r.client !== null && r.requests > 0)
    .map((r) => {
      const nowShares = sharesOf(r, total);
      const b = previous.get(r.client) ?? { requests: 0, seconds: 0, throttled: 0 };
      const beforeShares = baseline ? { ...sharesOf(b, totalBefore), requests: b.requests, throttled: b.throttled } : null;
      const s = series ? seriesOf.get(r.client) : undefined;
      const found = series && s ? findChange(series, totals, s, costKnown) : null;
      const vsBefore = beforeShares ? riseOf(beforeShares, nowShares, costKnown) : null;
      const { rise, risenBy } = vsBefore && vsBefore.rise >= MIN_JUMP ? vsBefore : (found ?? vsBefore ?? { rise: 0, risenBy: "cost" as Measure });
      return {
        client: r.client,
        now: { ...nowShares, requests: r.requests, seconds: r.seconds, throttled: r.throttled, errors: r.errors },
        before: beforeShares,
        change: found && found.rise >= MIN_JUMP ? { atMs: found.atMs, appeared: found.appeared, before: found.before, after: found.after } : null,
        rise,
        risenBy,
      };
    });

  // Against the window before when it is a baseline; else (or when no share rose against it) inside the window.
  const jumped = baseline ? candidates.filter((c) => c.before !== null && riseOf(c.before, c.now, costKnown).rise >= MIN_JUMP) : [];
  const changed = candidates.filter((c) => c.change !== null);
  const risen = (jumped.length > 0 ? jumped : changed).sort(byRise);
  const kind: VerdictKind = candidates.length === 0 ? "none" : jumped.length > 0 ? "jump" : changed.length > 0 ? "change" : "costliest";
  const ranked = kind === "jump" || kind === "change" ? [...risen, ...[...candidates].filter((c) => !risen.includes(c)).sort(byCost)] : [...candidates].sort(byCost);
  const culprit = ranked[0] ?? null;
  const othersThrottled = (rows: readonly ClientLoad[]) => rowsSum(rows.filter((r) => r.client !== culprit?.client), (r) => r.throttled);
  return {
    kind,
    hasBaseline: baseline,
    clients: candidates.length,
    culprit,
    also: risen.slice(1, RANKED),
    ranked: ranked.slice(0, RANKED),
    othersThrottled: { now: othersThrottled(now), before: baseline ? othersThrottled(before) : null },
  };
}

/** What GET /api/audit/culprit answers. */
export interface CulpritAnswer {
  windowSeconds: number;
  verdict: CulpritVerdict;
  /** The culprit's distinct sources (nodes) in the window. */
  sources: number;
  /** The users it sends as, busiest first (null: the other users together): what an APF flow schema matches. */
  users: Array<{ user: string | null; requests: number }>;
  /** The culprit's request shapes sent from the most sources (the DaemonSet pattern). */
  shapes: FanoutRow[];
  listHygiene: ListHygieneRow | null;
  /** Its first request since the start of the window before (a rollout shows as a late first request). */
  firstSeenMs: number | null;
}
