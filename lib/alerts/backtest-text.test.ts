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

describe("an alert already firing when the window starts", () => {
  it("is seen as firing from the start (the evaluations warm up before it), with the time it fired", () => {
    // Five warm-up evaluations before the window, which starts at the sixth.
    const b = backtestAlert({
      evalTimesMs: Array.from({ length: 10 }, (_, i) => T0 + i * MIN),
      series: [{ labels: { n: "0" }, present: [..."xxxxxxx..."].map((c) => c === "x") }],
      forMs: 2 * MIN,
      keepFiringForMs: 0,
      reportFromMs: T0 + 5 * MIN,
    });
    expect(b.firingAtStart).toBe(true);
    expect(b.firstFiredMs).toBe(T0 + 2 * MIN);
    expect(b.series[0]!.spans).toEqual([{ state: "firing", fromMs: T0 + 5 * MIN, toMs: T0 + 7 * MIN, ended: true }]);
    expect(b.firingMs).toBe(2 * MIN);
    expect(backtestSentence(b, 2 * MIN)).toBe("Already firing when the window starts (since 2024-12-11 15:02:00 UTC), firing for 2m of the window; 1 series.");
  });

  it("leaves out what happened only in the warm-up", () => {
    const b = backtestAlert({
      evalTimesMs: Array.from({ length: 10 }, (_, i) => T0 + i * MIN),
      series: [{ labels: { n: "0" }, present: [..."xxx......."].map((c) => c === "x") }],
      forMs: MIN,
      keepFiringForMs: 0,
      reportFromMs: T0 + 5 * MIN,
    });
    expect(b.series).toEqual([]);
    expect(b.firstFiredMs).toBeNull();
  });
});
