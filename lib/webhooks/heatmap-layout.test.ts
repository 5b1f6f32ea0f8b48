import { describe, expect, it } from "vitest";
import { heatmapCells, latencyY } from "./heatmap-layout";

describe("heatmap layout", () => {
  it("puts one column per step and the fastest bucket at the bottom, skipping empty cells", () => {
    const cells = heatmapCells([60_000, 120_000], [[4, 0, 1], [0, 0, 0]], 3, 200, 90);
    expect(cells.map((c) => [c.x, c.y, c.w, c.h, c.count, c.bucket])).toEqual([
      [0, 60, 100, 30, 4, 0],
      [0, 0, 100, 30, 1, 2],
    ]);
    expect(cells[0]!.intensity).toBe(1);
    expect(cells[1]!.intensity).toBeCloseTo(Math.log(2) / Math.log(5), 12);
    expect(heatmapCells([], [], 3, 200, 90)).toEqual([]);
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
