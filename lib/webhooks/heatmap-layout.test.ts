import { describe, expect, it } from "vitest";
import { timeX } from "../panels/time-axis";
import { heatmapCells, latencyY } from "./heatmap-layout";

describe("heatmap layout", () => {
  it("puts one column per step, centred on its time on the window's axis, and the fastest bucket at the bottom, skipping empty cells", () => {
    // Window 0–120 s, 60 s steps: the columns at 0 and 120 s are cut in half at the window's edges, as a line chart's
    // first and last points sit on its edges.
    const win = { startMs: 0, endMs: 120_000, stepMs: 60_000 };
    const cells = heatmapCells([0, 60_000, 120_000], [[4, 0, 1], [0, 2, 0], [0, 0, 0]], 3, win, 240, 90);
    expect(cells.map((c) => [c.x, c.y, c.w, c.h, c.count, c.bucket])).toEqual([
      [0, 60, 60, 30, 4, 0],
      [0, 0, 60, 30, 1, 2],
      [60, 30, 120, 30, 2, 1],
    ]);
    // The middle column's centre is where a line chart spanning the same window puts 60 s.
    const middle = cells[2]!;
    expect(middle.x + middle.w / 2).toBe(timeX(60_000, win.startMs, win.endMs, 240));
    expect(cells[0]!.intensity).toBe(1);
    expect(cells[1]!.intensity).toBeCloseTo(Math.log(2) / Math.log(5), 12);
    expect(heatmapCells([], [], 3, win, 240, 90)).toEqual([]);
  });

  it("places a latency inside its bucket row, linearly, and the overflow at the top", () => {
    const uppers = [0.1, 1, null];
    expect(latencyY(0.05, uppers, 90)).toBe(75);
    expect(latencyY(1, uppers, 90)).toBe(30);
    expect(latencyY(0.55, uppers, 90)).toBe(45);
    expect(latencyY(30, uppers, 90)).toBe(15);
    expect(latencyY(null, uppers, 90)).toBeNull();
  });
});
