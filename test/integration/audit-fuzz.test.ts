// Thousands of mutated audit lines uploaded into a real store: the upload never throws, and its accounting covers
// every line exactly once — accepted, or skipped for the reason the mutation must cause.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, auditId } from "@/test/support/audit-events";
import { mutate, rng, type Expected } from "@/test/support/audit-fuzz";
import { openAudit, storedRequests, tempDir, type AuditHarness } from "@/test/support/audit-harness";

const LINES = 3000;

let tmp: ReturnType<typeof tempDir>;
let h: AuditHarness;

beforeAll(async () => {
  tmp = tempDir("audit-fuzz");
  h = await openAudit();
});

afterAll(async () => {
  await h?.close();
  tmp?.cleanup();
});

describe("mutated audit lines in a real store (seeded)", () => {
  it("accounts for every line exactly once and keeps every valid event", async () => {
    const r = rng(42);
    const expected: Expected[] = [];
    const lines: string[] = [];
    for (let n = 0; n < LINES; n++) {
      // Every third line is left intact; mutated lines carry auditIDs of their own ("ffff…"), so a mutation never
      // turns into a duplicate of an intact line.
      if (n % 3 === 0) {
        lines.push(JSON.stringify(auditEvent(n)));
        expected.push("accepted");
      } else {
        const m = mutate(r, auditEvent(n, { auditID: auditId(n, "ffff") }));
        lines.push(m.text);
        expected.push(m.expected);
      }
    }
    const file = path.join(tmp.dir, "fuzz.log");
    writeFileSync(file, `${lines.join("\n")}\n`);

    const outcome = await h.svc.ingestUpload(file, "fuzz.log");

    const count = (e: Expected) => expected.filter((x) => x === e).length;
    const skipped = Object.values(outcome.skipped).reduce((a, b) => a + (b ?? 0), 0);
    expect(outcome.open).toBe(0);
    expect(outcome.accepted + skipped).toBe(LINES);
    // What is known per line is there; lines whose mutation could land anywhere (count("any")) make up the rest.
    expect(outcome.accepted).toBeGreaterThanOrEqual(count("accepted"));
    for (const reason of new Set(expected.filter((e) => e !== "any" && e !== "accepted"))) {
      expect(outcome.skipped[reason as keyof typeof outcome.skipped], reason).toBeGreaterThanOrEqual(count(reason));
    }
    expect(count("unsupported_format") + count("wrong_type")).toBeGreaterThan(0);

    // Every intact event is stored, once.
    const stored = await storedRequests(h.svc);
    expect(stored).toEqual({ rows: outcome.accepted, ids: outcome.accepted });
    const intact = await h.svc.store.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${await h.svc.relation(0, Date.now() + 86_400_000)} WHERE audit_id LIKE '00000000-%'`,
    );
    expect(intact[0]!.n).toBe(Math.ceil(LINES / 3));
  });
});
