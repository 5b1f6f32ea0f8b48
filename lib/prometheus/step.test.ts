import { describe, expect, it } from "vitest";
import { chooseStep, maxPointsForWidth, planRange, rateWindow } from "./step";

describe("range planning", () => {
  it("bounds points per series by the panel width", () => {
    expect(maxPointsForWidth(600)).toBe(200);
    expect(maxPointsForWidth(10)).toBe(30);
    expect(maxPointsForWidth(1e6)).toBe(11_000);
  });
  it("picks the smallest ladder step within budget, never below the scrape interval", () => {
    expect(chooseStep(3600, 600, 30)).toBe(30); // 18 s wanted → scrape interval 30 s
    expect(chooseStep(3600, 600, 1)).toBe(30); // 18 s → 30 s on the ladder
    expect(chooseStep(86400, 600, 30)).toBe(600); // 432 s → 10 m
    expect(chooseStep(7 * 86400, 1200, 15)).toBe(1800); // 1512 s → 30 m
    for (const [range, width] of [[3600, 640], [86400, 1500], [31 * 86400, 300]] as const) {
      const step = chooseStep(range, width, 15);
      expect(range / step).toBeLessThanOrEqual(maxPointsForWidth(width));
    }
  });
  it("gives nearby widths the same step, so viewers share upstream queries", () => {
    expect(chooseStep(3600, 900, 15)).toBe(chooseStep(3600, 1000, 15));
  });
  it("aligns start and end to the step so identical views are identical queries", () => {
    const a = planRange(1_733_932_801_234, 1_733_936_399_999, 600, 30);
    const b = planRange(1_733_932_812_000, 1_733_936_385_000, 600, 30);
    expect(a).toEqual(b);
    expect(a.startSeconds % a.stepSeconds).toBe(0);
    expect(a.endSeconds % a.stepSeconds).toBe(0);
    expect(a.endSeconds).toBeLessThanOrEqual(1_733_936_399.999);
  });
  it("never returns an empty range", () => {
    const p = planRange(1000_000, 1000_500, 600, 30);
    expect(p.endSeconds).toBeGreaterThan(p.startSeconds);
  });
  it("sizes rate windows like $__rate_interval", () => {
    expect(rateWindow(30, 30)).toBe(120);
    expect(rateWindow(600, 30)).toBe(630);
    expect(rateWindow(5, 1)).toBe(6);
  });
});
