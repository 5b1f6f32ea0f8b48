import { describe, expect, it } from "vitest";
import { MAX_TIME_TICKS, timeTicks, timeX } from "./time-axis";

const at = (h: number, m: number) => Date.UTC(2026, 0, 5, h, m);

describe("time axis", () => {
  it("puts ticks on round UTC minutes and hours inside the window, no more than fit", () => {
    expect(timeTicks(at(10, 3), at(11, 3))).toEqual([10, 20, 30, 40, 50, 60].map((m) => at(10, m)));
    // Seven hourly ticks would be too many: every two hours, on even UTC hours.
    expect(timeTicks(at(9, 0), at(15, 0))).toEqual([at(10, 0), at(12, 0), at(14, 0)]);
    for (const hours of [0.25, 1, 3, 6, 12, 24, 24 * 7, 24 * 30]) {
      const start = at(10, 7);
      const ticks = timeTicks(start, start + hours * 3600_000);
      expect(ticks.length, `${hours} h`).toBeGreaterThanOrEqual(2);
      expect(ticks.length, `${hours} h`).toBeLessThanOrEqual(MAX_TIME_TICKS);
      expect(ticks.every((t) => t % 60_000 === 0 && t >= start && t <= start + hours * 3600_000), `${hours} h`).toBe(true);
    }
    expect(timeTicks(at(10, 0), at(10, 0))).toEqual([]);
  });
  it("places a time at its share of the window", () => {
    expect(timeX(at(10, 30), at(10, 0), at(11, 0), 600)).toBe(300);
    expect(timeX(at(10, 0), at(10, 0), at(11, 0), 600)).toBe(0);
  });
});
