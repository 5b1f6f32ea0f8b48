// What a throttle would do to the culprit's traffic, from queueing theory: requests arrive at the observed rate,
// each holds its seats for the observed mean latency (Little's law gives the concurrency), and the level serves
// them on its nominal seats. M/M/c models are rough for API traffic, but they give the right order of magnitude and
// the hard limit: a level never completes more than seats ÷ latency requests per second.
import { DEFAULT_QUEUING } from "./generate";

export interface EffectInput {
  /** Requests per second of the culprit's traffic. */
  ratePerSecond: number;
  /** Mean latency of those requests, in seconds. */
  meanLatencySeconds: number;
  /** Nominal seats of the new level (its limit: the generated level neither lends nor borrows). */
  seats: number;
  mode: "Queue" | "Reject";
  /** Queue mode only; DEFAULT_QUEUING when absent. */
  queuing?: { queues: number; handSize: number; queueLengthLimit: number };
  /**
   * Distinct flows (users, with distinguisher ByUser). One flow is shuffle-sharded onto handSize queues, so it can
   * fill only handSize × queueLengthLimit places; unknown: every queue counts.
   */
  flows?: number;
  /** Mean seats one request occupies (LISTs take up to 10); default 1. */
  seatsPerRequest?: number;
}

export interface Effect {
  /** Requests in flight today: rate × latency. */
  concurrency: number;
  seats: number;
  /** Offered load per seat: above 1 the level cannot keep up. */
  utilisation: number;
  /** Share of requests that wait in a queue (Queue mode). */
  waitProbability: number;
  /** Share of requests rejected with 429 (or timed out in the queue). */
  rejectShare: number;
  /** The most requests per second the level completes. */
  throughputCapPerSecond: number;
  /** Offered load at or above the seats: in Queue mode the queues fill and stay full. */
  saturated: boolean;
  /** Places in the queues this traffic can use (0 in Reject mode). */
  queueCapacity: number;
  /** The estimate in one sentence. */
  note: string;
}

/** Erlang B: the share of arrivals that find all c servers busy with no queue (M/M/c/c), for a erlangs offered. */
export function erlangB(c: number, a: number): number {
  if (a <= 0) return 0;
  // B(k) = a·B(k−1) / (k + a·B(k−1)): every step stays in [0, 1], so thousands of servers are fine.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: the share of arrivals that wait with an unlimited queue (M/M/c); 1 when a ≥ c (the queue never drains). */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/**
 * M/M/c/K: with c servers and room for K requests in total (in service and waiting), the shares of arrivals that are
 * blocked and that wait. Computed from Erlang B scaled by ρ^(K−c), divided through by the largest power to stay finite.
 */
export function mmck(c: number, a: number, k: number): { blocked: number; waits: number } {
  if (c <= 0) return { blocked: 1, waits: 0 };
  if (a <= 0) return { blocked: 0, waits: 0 };
  const b = erlangB(c, a); // P(n = c) / P(n ≤ c)
  const m = Math.max(0, k - c); // waiting places
  const rho = a / c;
  // States c..K relative to state c: ρ^0..ρ^m. Normalise by ρ^m when ρ > 1 so no power overflows.
  const scale = rho > 1 ? rho ** -m : 1;
  const geometric = (from: number, to: number) => {
    // Σ_{j=from..to} ρ^j × scale
    if (to < from) return 0;
    if (rho === 1) return (to - from + 1) * scale;
    if (rho > 1) {
      const r = 1 / rho; // ρ^j·ρ^−m = r^(m−j)
      return (r ** (m - to) - r ** (m - from + 1)) / (1 - r);
    }
    return (rho ** from - rho ** (to + 1)) / (1 - rho);
  };
  const total = scale + b * geometric(1, m); // states 0..c (which sum to 1) plus the waiting states, all times scale
  const last = b * (rho > 1 ? 1 : rho ** m);
  return { blocked: last / total, waits: (b * geometric(0, m - 1)) / total };
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 && x > 0 ? 3 : 1)} %`;

function describe(e: Omit<Effect, "note">, mode: EffectInput["mode"]): string {
  const cap = `at most ${e.throughputCapPerSecond.toFixed(1)} requests/s complete`;
  if (e.saturated && mode === "Queue") {
    const need = `The traffic needs ${e.concurrency.toFixed(1)} requests in flight but gets room for fewer`;
    return `${need}: the queues fill and stay full, ${cap}, and about ${pct(e.rejectShare)} are rejected or time out waiting.`;
  }
  if (mode === "Reject") return `About ${pct(e.rejectShare)} of requests find every seat busy and are rejected with 429; ${cap}.`;
  return `About ${pct(e.waitProbability)} of requests wait in a queue and ${pct(e.rejectShare)} are rejected; ${cap}.`;
}

/** The effect of serving the traffic on `seats` seats in the given mode. */
export function estimateEffect(input: EffectInput): Effect {
  const { ratePerSecond: rate, meanLatencySeconds: latency } = input;
  if (!(rate >= 0) || !(latency > 0) || !(input.seats >= 0)) throw new RangeError("rate ≥ 0, latency > 0 and seats ≥ 0 are required");
  const width = Math.max(1, input.seatsPerRequest ?? 1);
  const servers = Math.floor(input.seats / width); // requests that can run at once
  const concurrency = rate * latency;
  const base = {
    concurrency,
    seats: input.seats,
    utilisation: servers > 0 ? concurrency / servers : rate > 0 ? Infinity : 0,
    throughputCapPerSecond: servers / latency,
    saturated: rate > 0 && concurrency >= servers,
  };
  let rest: Pick<Effect, "waitProbability" | "rejectShare" | "queueCapacity">;
  if (servers === 0) rest = { waitProbability: 0, rejectShare: rate > 0 ? 1 : 0, queueCapacity: 0 };
  else if (input.mode === "Reject") rest = { waitProbability: 0, rejectShare: erlangB(servers, concurrency), queueCapacity: 0 };
  else {
    const q = input.queuing ?? DEFAULT_QUEUING;
    const queueCapacity = Math.min(q.queues, (input.flows ?? Infinity) * q.handSize) * q.queueLengthLimit;
    const { blocked } = mmck(servers, concurrency, servers + queueCapacity);
    rest = { waitProbability: erlangC(servers, concurrency), rejectShare: blocked, queueCapacity };
  }
  const effect = { ...base, ...rest };
  return { ...effect, note: describe(effect, input.mode) };
}
