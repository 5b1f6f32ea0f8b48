import { describe, expect, it } from "vitest";
import { backtestAlert } from "./backtest";
import { backtestSentence } from "./backtest-text";

const MIN = 60_000;
const T0 = Date.UTC(2024, 11, 11, 15, 0, 0);
const run = (patterns: string[], forMin: number) =>
  backtestAlert({
    evalTimesMs: Array.from({ length: patterns[0]!.length }, (_, i) => T0 + i * MIN),
    series: patterns.map((p, i) => ({ labels: { n: String(i) }, present: [...p].map((c) => c === "x") })),
    forMs: forMin * MIN,
    keepFiringForMs: 0,
  });

describe("the backtest in words", () => {
  it("says when it would have fired, how long after the reference, for how long, and how many series", () => {
    const b = run(["..xxxxx...", "....xxx..."], 1);
    expect(backtestSentence(b, MIN, { label: "the rollout", ms: T0 + MIN })).toBe(
      "Would have fired at 2024-12-11 15:03:00 UTC, 2m after the rollout, firing for 4m; 2 series.",
    );
  });

  it("says when it is still firing at the window's end, and one series", () => {
    expect(backtestSentence(run(["......xxxx"], 0), 0)).toBe("Would have fired at 2024-12-11 15:06:00 UTC, firing for 4m and still at the window's end; 1 series.");
  });

  it("says why it would not have fired: never long enough, or nothing returned", () => {
    expect(backtestSentence(run(["x.xx.x...."], 5), 5 * MIN)).toBe("Would not have fired in this window: pending 3 times, never for its full for (5m).");
    expect(backtestSentence(run([".........."], 0), 0)).toBe("Would not have fired in this window: the expression returned nothing.");
  });
});
