// Binary min-heaps used by the event loop and the queueing models.

/** Min-heap of plain numbers. */
export class NumberHeap {
  private items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): number {
    return this.items.length > 0 ? (this.items[0] as number) : Number.POSITIVE_INFINITY;
  }

  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as number;
      if (p <= value) break;
      items[i] = p;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length > 0) this.sift(last);
    return top;
  }

  /** Replaces the minimum with `value` (cheaper than pop + push). */
  replaceTop(value: number): void {
    this.sift(value);
  }

  private sift(value: number): void {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= value) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = value;
  }
}

export interface Timed {
  t: number;
  seq: number;
}

/** Min-heap of objects ordered by (t, seq): deterministic order for equal times. */
export class EventHeap<T extends Timed> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    const top = this.items[0];
    return top === undefined ? Number.POSITIVE_INFINITY : top.t;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (before(p, item)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right] as T, items[left] as T) ? right : left;
      if (before(last, items[child] as T)) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
