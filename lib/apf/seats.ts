// Nominal seats: the API server divides its concurrency limit among priority levels in proportion to their
// nominalConcurrencyShares, rounding up (apf_controller.go). Every level counts in the sum — Exempt ones too, with
// their own shares (0 by default) — so a new level takes seats from all the others.
import { DEFAULT_SERVER_LIMIT } from "./bootstrap";
import type { PriorityLevel } from "./types";

type Shares = Pick<PriorityLevel, "name" | "nominalConcurrencyShares">;

export interface SeatChange {
  name: string;
  before: number;
  after: number;
  /** after − before: negative when the level lost seats. */
  change: number;
}

export interface NewLevelSeats {
  /** Nominal seats of the new level. */
  seats: number;
  /** Every existing level, in the given order. */
  others: SeatChange[];
  /** Seats the other levels lose together (≥ 0): what the new level takes from everyone else. */
  takenFromOthers: number;
}

/** Nominal seats per level: ceil(serverLimit × shares / sum of all shares). */
export function nominalSeats(levels: readonly Shares[], serverLimit = DEFAULT_SERVER_LIMIT): Map<string, number> {
  const sum = levels.reduce((a, l) => a + l.nominalConcurrencyShares, 0);
  return new Map(levels.map((l) => [l.name, sum > 0 ? Math.ceil((serverLimit * l.nominalConcurrencyShares) / sum) : 0]));
}

/** Seats of a level added next to `levels`, and what each existing level gives up for it. */
export function withNewLevel(levels: readonly Shares[], newLevel: Shares, serverLimit = DEFAULT_SERVER_LIMIT): NewLevelSeats {
  if (levels.some((l) => l.name === newLevel.name)) throw new RangeError(`a priority level named ${newLevel.name} exists already`);
  const before = nominalSeats(levels, serverLimit);
  const after = nominalSeats([...levels, newLevel], serverLimit);
  const others = levels.map((l) => {
    const b = before.get(l.name)!;
    const a = after.get(l.name)!;
    return { name: l.name, before: b, after: a, change: a - b };
  });
  return { seats: after.get(newLevel.name)!, others, takenFromOthers: -others.reduce((a, o) => a + o.change, 0) };
}
