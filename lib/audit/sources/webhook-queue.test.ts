// The audit webhook's queue with in-process steps that record what they are given: batches arriving while a
// commit runs are stored together (group commit), in order, each exactly once; a full queue turns batches away;
// the next group is prepared while the previous one commits.
import { describe, expect, it } from "vitest";
import type { Outcome } from "../ingest/accounting";
import { bodiesAsLines, WebhookQueue, type QueueSteps } from "./webhook-queue";

/** Steps that record every commit; `hold()` makes the next commits wait until released. */
function recordingStore() {
  const commits: string[][] = [];
  let gate: Promise<void> | null = null;
  let open = () => {};
  let failNext = false;
  const store: QueueSteps<string[]> = {
    prepare: async (bodies) => bodies.map((b) => b.toString()),
    async commit(bodies) {
      commits.push(bodies);
      if (gate) await gate;
      if (failNext) {
        failNext = false;
        throw new Error("disk full");
      }
      return { accepted: bodies.length, open: 0, merged: 0, skipped: {} };
    },
  };
  return {
    store,
    commits,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    failNextCommit() {
      failNext = true;
    },
  };
}

const text = (name: string, bytes = 100) => name.padEnd(bytes, ".");
const body = (name: string, bytes = 100) => Buffer.from(text(name, bytes));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("webhook queue", () => {
  it("stores batches that arrive during a commit together, in order, in the next commit", async () => {
    const s = recordingStore();
    const q = new WebhookQueue(s.store, { maxPendingBytes: 10_000, maxCommitBytes: 10_000 });
    s.hold();
    const a = q.submit(body("a"));
    const rest = ["b", "c", "d"].map((n) => q.submit(body(n)));
    expect(q.backlogBytes).toBe(400);
    s.release();
    expect(await a).toEqual({ accepted: 1, open: 0, merged: 0, skipped: {} });
    // Each caller is answered with the outcome of the commit that stored its batch.
    for (const p of rest) expect(await p).toEqual({ accepted: 3, open: 0, merged: 0, skipped: {} });
    expect(s.commits).toEqual([[text("a")], [text("b"), text("c"), text("d")]]);
    expect(q.backlogBytes).toBe(0);
  });

  it("splits a commit at maxCommitBytes, but always takes at least one batch", async () => {
    const s = recordingStore();
    const q = new WebhookQueue(s.store, { maxPendingBytes: 10_000, maxCommitBytes: 250 });
    s.hold();
    const all = [q.submit(body("a")), q.submit(body("b")), q.submit(body("c")), q.submit(body("d")), q.submit(body("e", 400))];
    s.release();
    await Promise.all(all);
    expect(s.commits.map((c) => c.map((b) => b[0]).join(""))).toEqual(["a", "bc", "d", "e"]);
  });

  it("turns batches away while the bytes waiting and being stored would exceed the limit, and takes them again after", async () => {
    const s = recordingStore();
    const q = new WebhookQueue(s.store, { maxPendingBytes: 1000, maxCommitBytes: 10_000 });
    s.hold();
    const first = q.submit(body("a", 600));
    await settle(); // the commit of `a` has started: nothing waits, but its 600 bytes are still held
    expect(q.backlogBytes).toBe(600);
    expect(q.submit(body("b", 600))).toBeNull();
    const small = q.submit(body("c", 300));
    expect(small).not.toBeNull();
    expect(q.submit(body("d", 200))).toBeNull();
    s.release();
    await Promise.all([first, small]);
    expect(q.backlogBytes).toBe(0);
    expect(await q.submit(body("b", 600))).toEqual({ accepted: 1, open: 0, merged: 0, skipped: {} });
    expect(s.commits.flat().map((b) => b[0])).toEqual(["a", "c", "b"]);
  });

  it("accepts one batch larger than the limit when the queue is idle, so it is not turned away forever", async () => {
    const s = recordingStore();
    const q = new WebhookQueue(s.store, { maxPendingBytes: 1000, maxCommitBytes: 1000 });
    expect(await q.submit(body("a", 5000))).toEqual({ accepted: 1, open: 0, merged: 0, skipped: {} });
  });

  it("rejects the callers of a failed commit and goes on with the next batches", async () => {
    const s = recordingStore();
    const q = new WebhookQueue(s.store, { maxPendingBytes: 10_000, maxCommitBytes: 10_000 });
    s.hold();
    s.failNextCommit();
    const a = q.submit(body("a"));
    const b = q.submit(body("b"));
    s.release();
    await expect(a).rejects.toThrow("disk full");
    expect(await b).toEqual({ accepted: 1, open: 0, merged: 0, skipped: {} });
    expect(q.backlogBytes).toBe(0);
  });

  it("prepares the next group while the previous one commits, one group ahead, and commits in order", async () => {
    const events: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const q = new WebhookQueue(
      {
        async prepare(bodies) {
          events.push(`prepare ${bodies.map((b) => b[0] && String.fromCharCode(b[0])).join("")}`);
          return bodies;
        },
        async commit(bodies: Buffer[]) {
          const name = bodies.map((b) => b[0] && String.fromCharCode(b[0])).join("");
          events.push(`commit ${name}`);
          if (name === "a") await held;
          events.push(`committed ${name}`);
          return { accepted: bodies.length, open: 0, merged: 0, skipped: {} };
        },
      },
      { maxPendingBytes: 10_000, maxCommitBytes: 10_000 },
    );
    const a = q.submit(body("a"));
    await settle();
    const bc = [q.submit(body("b")), q.submit(body("c"))];
    await settle();
    // b is prepared while a's commit is still running; its commit, and c, wait for it.
    expect(events).toEqual(["prepare a", "commit a", "prepare b"]);
    release();
    await Promise.all([a, ...bc]);
    expect(events.filter((e) => !e.startsWith("prepare"))).toEqual(["commit a", "committed a", "commit b", "committed b", "commit c", "committed c"]);
  });

  it("stores everything it accepted exactly once and in order, under a random load (seeded)", async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const stored: string[] = [];
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
    const q = new WebhookQueue(
      {
        async prepare(bodies) {
          await pause();
          return bodies.map((b) => b.toString());
        },
        async commit(bodies: string[]) {
          await pause();
          stored.push(...bodies);
          return { accepted: bodies.length, open: 0, merged: 0, skipped: {} };
        },
      },
      { maxPendingBytes: 20_000, maxCommitBytes: 5_000 },
    );
    const accepted: string[] = [];
    const answers: Array<Promise<Outcome>> = [];
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      const b = text(`#${i}#`, 50 + Math.floor(random() * 2000));
      const p = q.submit(Buffer.from(b));
      if (p) {
        accepted.push(b);
        answers.push(p);
      } else refused++;
      expect(q.backlogBytes).toBeLessThanOrEqual(20_000);
      if (random() < 0.3) await settle();
    }
    await Promise.all(answers);
    expect(refused).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(100);
    expect(stored).toEqual(accepted);
    expect(q.backlogBytes).toBe(0);
  });
});

describe("webhook bodies as JSON lines", () => {
  it("keeps compact bodies and compacts pretty-printed ones, one document per line", () => {
    const list = { kind: "EventList", items: [{ auditID: "a" }] };
    const lines = bodiesAsLines([JSON.stringify(list), JSON.stringify(list, null, 2), '{"broken":\n"x"'].map((b) => Buffer.from(b)))
      .toString()
      .split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual(list);
    expect(JSON.parse(lines[1]!)).toEqual(list);
    expect(lines[2]).toBe('{"broken": "x"');
  });
});
