// Naming the culprit: the client whose share of the API server's load rose the most from the window before to the
// selected one — share of requests, or share of cost (the time its requests kept the API server busy), whichever
// rose more. A client that was always the busiest is not news; one that jumped from 2 % to 60 % is.

import type { FanoutRow } from "../audit/query/fanout";
import type { ListHygieneRow } from "../audit/query/list-hygiene";

/** One client's load in one window (a breakdown row by client; `client` null for the "other" row). */
export interface ClientLoad {
  client: string | null;
  requests: number;
  /** Busy time of its requests (seconds): the cost measure. */
  seconds: number;
  throttled: number;
  errors: number;
  sources: number;
}

export interface CulpritCandidate {
  client: string;
  now: { requests: number; seconds: number; share: number; costShare: number; throttled: number; errors: number; sources: number };
  before: { requests: number; share: number; costShare: number; throttled: number };
  /** The larger rise, in share points (0.4 = 40 points): of the request share or of the cost share. */
  jump: number;
  jumpBy: "requests" | "cost";
}

export interface CulpritVerdict {
  /**
   * "jump": a client's share rose by at least MIN_JUMP; "busiest": none did (or there is nothing before to compare
   * with), so the busiest client is named instead; "none": no requests in the window.
   */
  kind: "jump" | "busiest" | "none";
  /** Whether the window before held requests to compare with. */
  hasBaseline: boolean;
  culprit: CulpritCandidate | null;
  /** The runners-up, highest score first (the culprit included). */
  ranked: CulpritCandidate[];
  /** 429s all other clients got, in the window and before: the pressure the culprit puts on everyone else. */
  othersThrottled: { now: number; before: number };
}

/** A rise smaller than this (in share points) is not called a jump. */
export const MIN_JUMP = 0.05;
const RANKED = 5;

const sum = (rows: readonly ClientLoad[], f: (r: ClientLoad) => number) => rows.reduce((a, r) => a + f(r), 0);
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function scoreCulprits(now: readonly ClientLoad[], before: readonly ClientLoad[]): CulpritVerdict {
  const total = { requests: sum(now, (r) => r.requests), seconds: sum(now, (r) => r.seconds) };
  const totalBefore = { requests: sum(before, (r) => r.requests), seconds: sum(before, (r) => r.seconds) };
  const hasBaseline = totalBefore.requests > 0;
  const previous = new Map(before.filter((r) => r.client !== null).map((r) => [r.client!, r]));

  const candidates: CulpritCandidate[] = now
    .filter((r): r is ClientLoad & { client: string } => r.client !== null && r.requests > 0)
    .map((r) => {
      const b = previous.get(r.client);
      const share = ratio(r.requests, total.requests);
      const costShare = ratio(r.seconds, total.seconds);
      const beforeShare = ratio(b?.requests ?? 0, totalBefore.requests);
      const beforeCostShare = ratio(b?.seconds ?? 0, totalBefore.seconds);
      const byRequests = share - beforeShare;
      const byCost = costShare - beforeCostShare;
      return {
        client: r.client,
        now: { requests: r.requests, seconds: r.seconds, share, costShare, throttled: r.throttled, errors: r.errors, sources: r.sources },
        before: { requests: b?.requests ?? 0, share: beforeShare, costShare: beforeCostShare, throttled: b?.throttled ?? 0 },
        jump: Math.max(byRequests, byCost),
        jumpBy: byCost > byRequests ? "cost" : "requests",
      };
    });
  const byJump = [...candidates].sort((a, b) => b.jump - a.jump || b.now.requests - a.now.requests || a.client.localeCompare(b.client));
  const busiest = [...candidates].sort((a, b) => b.now.requests - a.now.requests || a.client.localeCompare(b.client))[0] ?? null;
  const top = byJump[0];
  const jumped = hasBaseline && top !== undefined && top.jump >= MIN_JUMP;
  const culprit = jumped ? top : busiest;
  const othersThrottled = (rows: readonly ClientLoad[]) => sum(rows.filter((r) => r.client !== culprit?.client), (r) => r.throttled);
  return {
    kind: culprit === null ? "none" : jumped ? "jump" : "busiest",
    hasBaseline,
    culprit,
    ranked: (jumped ? byJump : [...candidates].sort((a, b) => b.now.requests - a.now.requests)).slice(0, RANKED),
    othersThrottled: { now: othersThrottled(now), before: othersThrottled(before) },
  };
}

/** What GET /api/audit/culprit answers. */
export interface CulpritAnswer {
  windowSeconds: number;
  verdict: CulpritVerdict;
  /** The users it sends as, busiest first (null: the other users together): what an APF flow schema matches. */
  users: Array<{ user: string | null; requests: number }>;
  /** The culprit's request shapes sent from the most sources (the DaemonSet pattern). */
  shapes: FanoutRow[];
  listHygiene: ListHygieneRow | null;
  /** Its first request since the start of the window before (a rollout shows as a late first request). */
  firstSeenMs: number | null;
}
