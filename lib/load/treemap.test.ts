import { describe, expect, it } from "vitest";
import { buildTree, layoutTree, squarify } from "./treemap";

const area = (r: { w: number; h: number }) => r.w * r.h;

describe("treemap", () => {
  it("builds client → verb → resource, biggest first, with the other row as one leaf", () => {
    const tree = buildTree([
      { keys: ["kubelet", "get", "pods"], requests: 10 },
      { keys: ["agent", "list", "pods"], requests: 50 },
      { keys: ["agent", "list", "nodes"], requests: 20 },
      { keys: ["kubelet", "update", "leases"], requests: 15 },
      { keys: null, requests: 5 },
    ]);
    expect(tree.value).toBe(100);
    expect(tree.children.map((c) => [c.name, c.value])).toEqual([
      ["agent", 70],
      ["kubelet", 25],
      ["other", 5],
    ]);
    expect(tree.children[0]!.children[0]!.children.map((c) => c.path)).toEqual([
      ["agent", "list", "pods"],
      ["agent", "list", "nodes"],
    ]);
    expect(tree.children[2]!.path).toEqual([]);
  });

  it("gives each value its share of the area, inside the box, without overlaps", () => {
    const box = { x: 0, y: 0, w: 600, h: 300 };
    const values = [60, 25, 10, 4, 1];
    const rects = squarify(values, box);
    rects.forEach((r, i) => expect(area(r)).toBeCloseTo((values[i]! / 100) * area(box), 6));
    for (const r of rects) {
      expect(r.x).toBeGreaterThanOrEqual(-1e-9);
      expect(r.y).toBeGreaterThanOrEqual(-1e-9);
      expect(r.x + r.w).toBeLessThanOrEqual(600 + 1e-9);
      expect(r.y + r.h).toBeLessThanOrEqual(300 + 1e-9);
    }
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i]!, rects[j]!];
        const overlap = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
        expect(overlap).toBeLessThan(1e-6);
      }
  });

  it("keeps rectangles close to square", () => {
    const rects = squarify([6, 6, 4, 3, 2, 2, 1], { x: 0, y: 0, w: 600, h: 400 });
    for (const r of rects) expect(Math.max(r.w / r.h, r.h / r.w)).toBeLessThan(3);
  });

  it("nests children inside their parent", () => {
    const tree = buildTree([
      { keys: ["a", "list"], requests: 3 },
      { keys: ["a", "get"], requests: 1 },
      { keys: ["b", "list"], requests: 4 },
    ]);
    const tiles = layoutTree(tree, { x: 0, y: 0, w: 400, h: 200 });
    const a = tiles.find((t) => t.depth === 0 && t.node.name === "a")!;
    for (const t of tiles.filter((t) => t.depth === 1 && t.node.path[0] === "a")) {
      expect(t.x).toBeGreaterThanOrEqual(a.x);
      expect(t.y).toBeGreaterThanOrEqual(a.y);
      expect(t.x + t.w).toBeLessThanOrEqual(a.x + a.w + 1e-9);
      expect(t.y + t.h).toBeLessThanOrEqual(a.y + a.h + 1e-9);
    }
    expect(tiles.filter((t) => t.depth === 1)).toHaveLength(3);
  });

  it("lays out nothing for an empty tree", () => {
    expect(layoutTree(buildTree([]), { x: 0, y: 0, w: 100, h: 100 })).toEqual([]);
  });
});
