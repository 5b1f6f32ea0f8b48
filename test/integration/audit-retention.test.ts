// Retention of live data (followed files, the webhook), enforced continuously: by age (rows older than the limit
// go, a segment straddling it is rewritten) and by size (the oldest segments go first), with rollups and queries
// staying consistent. Uploads are kept until deleted: see audit-uploads.test.ts.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { enforceRetention, flushHot } from "@/lib/audit/maintenance";
import { auditAtAge } from "../support/audit-events";
import { ingestLive, openAudit, storedRequests, tempDir, type AuditHarness } from "../support/audit-harness";

const HOUR = 3600_000;
let h: AuditHarness | undefined;
const tmp = tempDir("retention");

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** One rotated log file of `count` events, `ageHours` old, numbered from `first`, read whole: one segment. */
async function followAged(first: number, count: number, ageHours: number): Promise<void> {
  const file = path.join(tmp.dir, `aged-${first}.log`);
  writeFileSync(file, Array.from({ length: count }, (_, i) => JSON.stringify(auditAtAge(first + i, ageHours * HOUR + i * 1000))).join("\n") + "\n");
  await ingestLive(h!.svc, file);
}

describe("retention", () => {
  it("by age: drops old segments, rewrites the one straddling the limit, deletes old hot rows", async () => {
    h = await openAudit({ retention: "30d" });
    await followAged(0, 50, 30); // 30 h old, spans 50 s
    await followAged(1000, 100, 10 - 50 / 3600); // straddles "10 h ago": 100 events one second apart around it
    await followAged(2000, 40, 1); // recent
    const hot = await h.svc.webhook.submit(Buffer.from(JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", items: [0, 1, 2].map((i) => auditAtAge(3000 + i, 20 * HOUR)) })));
    expect(hot?.accepted ?? (await hot)?.accepted).toBe(3);
    await h.svc.maintain(); // rollups built for every segment
    expect((await storedRequests(h.svc)).rows).toBe(193);

    const result = await enforceRetention(h.svc.store, Date.now(), 10 * 3600, 1e12);
    expect(result).toMatchObject({ droppedSegments: 1, rewrittenSegments: 1, deletedHotRows: 3 });
    const kept = (await storedRequests(h.svc)).rows;
    expect(kept).toBe(40 + 50); // the recent 40 and the 50 of the straddling 100 younger than 10 h
    // Queries read the rewritten segment (and its new rollup once built) consistently.
    await h.svc.maintain();
    expect((await storedRequests(h.svc)).rows).toBe(kept);
    const [{ n }] = (await h.svc.store.query<{ n: number }>("SELECT count(*) AS n FROM segments WHERE rollup_file IS NULL")) as [{ n: number }];
    expect(n).toBe(0);
  });

  it("by size: drops the oldest segments until the store fits", async () => {
    h = await openAudit({ retention: "30d" });
    for (const [i, age] of [48, 36, 24, 12].entries()) await followAged(i * 1000, 200, age);
    const segments = await h.svc.store.query<{ bytes: number; max_ts: number }>("SELECT bytes, max_ts FROM segments ORDER BY max_ts");
    expect(segments).toHaveLength(4);
    const newestTwo = segments.slice(2).reduce((a, s) => a + s.bytes, 0);
    await enforceRetention(h.svc.store, Date.now(), 30 * 86400, newestTwo);
    const left = await h.svc.store.query<{ max_ts: number }>("SELECT max_ts FROM segments ORDER BY max_ts");
    expect(left.map((s) => s.max_ts)).toEqual(segments.slice(2).map((s) => s.max_ts));
    expect((await storedRequests(h.svc)).rows).toBe(400);
  });

  it("flushes the hot table into a segment and keeps every request", async () => {
    h = await openAudit();
    await h.svc.webhook.submit(Buffer.from(JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", items: [0, 1, 2, 3].map((i) => auditAtAge(5000 + i, HOUR)) })));
    expect(await flushHot(h.svc.store, true)).toBe(4);
    expect((await h.svc.store.query<{ n: number }>("SELECT count(*) AS n FROM events_hot"))[0]!.n).toBe(0);
    expect((await storedRequests(h.svc)).rows).toBe(4);
  });
});
