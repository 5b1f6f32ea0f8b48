// A nested treemap (client → verb → resource) laid out by the squarified algorithm (Bruls, Huizing, van Wijk), so
// rectangles stay close to square and their labels readable. Pure: rows in, rectangles out.

export interface TreeNode {
  name: string;
  /** The keys from the root down to this node (what a click filters by). */
  path: string[];
  value: number;
  children: TreeNode[];
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Tile extends Rect {
  node: TreeNode;
  depth: number;
}

/** Builds the tree from rows with one key per level; rows without keys (the "other" row) become one leaf. */
export function buildTree(rows: ReadonlyArray<{ keys: string[] | null; requests: number }>, otherName = "other"): TreeNode {
  const root: TreeNode = { name: "", path: [], value: 0, children: [] };
  for (const r of rows) {
    if (r.requests <= 0) continue;
    const keys = r.keys ?? [otherName];
    let node = root;
    node.value += r.requests;
    keys.forEach((k, i) => {
      let child = node.children.find((c) => c.name === k);
      if (!child) {
        child = { name: k, path: r.keys ? keys.slice(0, i + 1) : [], value: 0, children: [] };
        node.children.push(child);
      }
      child.value += r.requests;
      node = child;
    });
  }
  const sort = (n: TreeNode) => {
    n.children.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

const worst = (row: number[], side: number, scale: number) => {
  const sum = row.reduce((a, b) => a + b, 0) * scale;
  const max = Math.max(...row) * scale;
  const min = Math.min(...row) * scale;
  return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
};

/** Squarified layout of values (biggest first) in a rectangle; returns one rectangle per value, in order. */
export function squarify(values: readonly number[], box: Rect): Rect[] {
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0 || box.w <= 0 || box.h <= 0) return values.map(() => ({ x: box.x, y: box.y, w: 0, h: 0 }));
  const out: Rect[] = [];
  let free = { ...box };
  let rest = total;
  let i = 0;
  while (i < values.length) {
    const scale = (free.w * free.h) / rest;
    const side = Math.min(free.w, free.h);
    const row = [values[i]!];
    let j = i + 1;
    while (j < values.length && worst([...row, values[j]!], side, scale) <= worst(row, side, scale)) row.push(values[j++]!);
    const rowArea = row.reduce((a, b) => a + b, 0) * scale;
    const horizontal = free.w >= free.h; // lay the row along the short side
    const thickness = rowArea / side;
    let offset = 0;
    for (const v of row) {
      const length = (v * scale) / thickness;
      out.push(horizontal ? { x: free.x, y: free.y + offset, w: thickness, h: length } : { x: free.x + offset, y: free.y, w: length, h: thickness });
      offset += length;
    }
    free = horizontal ? { x: free.x + thickness, y: free.y, w: free.w - thickness, h: free.h } : { x: free.x, y: free.y + thickness, w: free.w, h: free.h - thickness };
    rest -= row.reduce((a, b) => a + b, 0);
    i = j;
  }
  return out;
}

/** Tiles of every node below the root, parents before children; children sit inside their parent below a header. */
export function layoutTree(root: TreeNode, box: Rect, header = 16, pad = 1): Tile[] {
  const tiles: Tile[] = [];
  const place = (node: TreeNode, area: Rect, depth: number) => {
    const rects = squarify(node.children.map((c) => c.value), area);
    node.children.forEach((child, i) => {
      const r = rects[i]!;
      tiles.push({ ...r, node: child, depth });
      if (child.children.length === 0) return;
      const inner = { x: r.x + pad, y: r.y + header, w: r.w - 2 * pad, h: r.h - header - pad };
      if (inner.w > 4 && inner.h > 4) place(child, inner, depth + 1);
    });
  };
  place(root, box, 0);
  return tiles;
}
