import { describe, expect, it } from "vitest";
import { backtestAlert, evaluatedSeries, type StateSpan } from "./backtest";

const MIN = 60_000;
/** Evaluations every minute from 0; `pattern` marks where the expression returned the series ("x") or not ("."). */
const times = (n: number) => Array.from({ length: n }, (_, i) => i * MIN);
const present = (pattern: string) => [...pattern].map((c) => c === "x");
const run = (pattern: string, forMin: number, keepMin = 0) =>
  backtestAlert({
    evalTimesMs: times(pattern.length),
    series: [{ labels: { verb: "LIST" }, present: present(pattern) }],
    forMs: forMin * MIN,
    keepFiringForMs: keepMin * MIN,
  });
/** Spans in minutes: [state, from, to, ended]. */
const spans = (s: StateSpan[]) => s.map((x) => [x.state, x.fromMs / MIN, x.toMs / MIN, x.ended]);

describe("the rule manager's states, per alert series", () => {
  it("fires at the first evaluation when `for` is 0", () => {
    const r = run("..xx..", 0);
    expect(spans(r.series[0]!.spans)).toEqual([["firing", 2, 4, true]]);
    expect(r.firstFiredMs).toBe(2 * MIN);
  });

  it("stays pending until `for` has passed since it became active, then fires", () => {
    // Active at 1; for 2m: pending at 1 and 2, firing at 3 (3 − 1 ≥ 2).
    const r = run(".xxxxx.", 2);
    expect(spans(r.series[0]!.spans)).toEqual([
      ["pending", 1, 3, true],
      ["firing", 3, 6, true],
    ]);
    expect(r.series[0]!.firedAtMs).toEqual([3 * MIN]);
    expect(r.firingMs).toBe(3 * MIN);
  });

  it("drops a pending alert at a gap, so `for` starts again from its return", () => {
    const r = run("xx.xxx", 2);
    expect(spans(r.series[0]!.spans)).toEqual([
      ["pending", 0, 2, true],
      ["pending", 3, 5, true],
      ["firing", 5, 6, false],
    ]);
    expect(r.firstFiredMs).toBe(5 * MIN);
  });

  it("never fires when the condition never lasts `for`: flapping stays pending", () => {
    const r = run("x.x.x.x.x.", 1);
    expect(r.series[0]!.spans.every((s) => s.state === "pending")).toBe(true);
    expect(r.firstFiredMs).toBeNull();
    expect(r.firedSeries).toBe(0);
    expect(r.firingMs).toBe(0);
  });

  it("resolves a firing alert at the first evaluation without it, and a return is pending again", () => {
    const r = run("xxx.xxx", 1);
    expect(spans(r.series[0]!.spans)).toEqual([
      ["pending", 0, 1, true],
      ["firing", 1, 3, true],
      ["pending", 4, 5, true],
      ["firing", 5, 7, false],
    ]);
    expect(r.series[0]!.firedAtMs).toEqual([1 * MIN, 5 * MIN]);
  });

  it("keeps firing for `keep_firing_for` after the condition clears, counted from the first evaluation without it", () => {
    // Firing from 0; absent from 2: kept at 2, 3, 4 (0, 1, 2 min < 3 min since 2); resolved at 5.
    const r = run("xx......", 0, 3);
    expect(spans(r.series[0]!.spans)).toEqual([["firing", 0, 5, true]]);
    expect(r.firingMs).toBe(5 * MIN);
  });

  it("counts `keep_firing_for` again after the condition comes back", () => {
    // Absent at 2–3 (kept), back at 4 (reset), absent from 5: kept at 5, 6, 7 (< 2.5 min since 5); resolved at 8.
    const r = run("xx..x.....", 0, 2.5);
    expect(spans(r.series[0]!.spans)).toEqual([["firing", 0, 8, true]]);
  });

  it("does not keep a pending alert firing: keep_firing_for applies only to firing alerts", () => {
    const r = run("xx....", 5, 10);
    expect(spans(r.series[0]!.spans)).toEqual([["pending", 0, 2, true]]);
  });

  it("follows series that appear and vanish independently, and sums the time any of them fired", () => {
    const r = backtestAlert({
      evalTimesMs: times(8),
      series: [
        { labels: { verb: "LIST" }, present: present("xxxx....") },
        { labels: { verb: "WATCH" }, present: present("...xxxxx") },
        { labels: { verb: "GET" }, present: present("x.......") },
      ],
      forMs: 1 * MIN,
      keepFiringForMs: 0,
    });
    expect(r.series.map((s) => s.firedAtMs.map((t) => t / MIN))).toEqual([[1], [4], []]);
    expect(r.firstFiredMs).toBe(1 * MIN);
    expect(r.firedSeries).toBe(2);
    // LIST fires 1–4, WATCH 4–8: one stretch of 7 minutes.
    expect(r.firingMs).toBe(7 * MIN);
  });

  it("answers an empty window and an expression that never matched", () => {
    expect(backtestAlert({ evalTimesMs: [], series: [], forMs: 0, keepFiringForMs: 0 })).toEqual({ series: [], firstFiredMs: null, firedSeries: 0, firingMs: 0, firingAtStart: false });
    expect(run("......", 0).series[0]!.spans).toEqual([]);
  });
});

describe("a range query's result as the rule manager sees it", () => {
  it("evaluates at every step of the range; a series is present where it has a point, a NaN value included", () => {
    const got = evaluatedSeries(
      [
        { labels: { __name__: "up", job: "a" }, points: [[60_000, 1], [180_000, null]] },
        { labels: { job: "b" }, points: [[0, 0], [90_000, 1]] },
      ],
      { startSeconds: 0, endSeconds: 180, stepSeconds: 60 },
    );
    expect(got.evalTimesMs).toEqual([0, 60_000, 120_000, 180_000]);
    expect(got.series).toEqual([
      { labels: { job: "a" }, present: [false, true, false, true] },
      // A point off the evaluation grid is not an evaluation.
      { labels: { job: "b" }, present: [true, false, false, false] },
    ]);
  });
});
