// Damaged and hostile input: every bad line is skipped and counted by reason, the valid events around it are kept,
// and nothing throws. An ingest that fails before commit leaves nothing behind, so its retry stores everything once.
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile, type IngestContext } from "@/lib/audit/ingest/ingest";
import type { SkipReason } from "@/lib/audit/reasons";
import { auditAtAge, auditEvent, auditId, auditLine } from "@/test/support/audit-events";
import { openAudit, sourceStatus, storedAuditIds, storedRequests, tempDir, type AuditHarness } from "@/test/support/audit-harness";

const RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;

let files: ReturnType<typeof tempDir>;
let h: AuditHarness;

beforeAll(async () => {
  files = tempDir("audit-bad-input");
  h = await openAudit({ retention: `${RETENTION_DAYS}d` });
});

afterAll(async () => {
  await h?.close();
  files?.cleanup();
});

/** Writes `lines` (one per line) to a file in the test directory. */
function write(name: string, lines: string[]): string {
  const file = path.join(files.dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const tally = (reasons: SkipReason[]) => reasons.reduce<Partial<Record<SkipReason, number>>>((a, r) => ({ ...a, [r]: (a[r] ?? 0) + 1 }), {});

/** Each bad line, with the reason it must be skipped for. */
const BAD: Array<[string, SkipReason]> = [
  [auditLine(1000).slice(0, 150), "invalid_json"], // truncated
  ["I1211 15:04:05.123456 1 httplog.go:132] not an audit event", "invalid_json"],
  ["42", "not_an_object"],
  [auditLine(1001, { objectRef: "pods" }), "wrong_type"],
  [auditLine(1002, { sourceIPs: [{ ip: "10.0.0.1" }] }), "wrong_type"],
  [auditLine(1003, { responseStatus: { code: "two hundred" } }), "wrong_type"],
  [auditLine(1004, { auditID: undefined }), "missing_field"],
  [auditLine(1005, { verb: "" }), "missing_field"],
  [auditLine(1006, { stageTimestamp: undefined }), "missing_field"],
  ["[]", "empty_list"],
  [auditLine(1008, { stageTimestamp: new Date(Date.now() + 365 * DAY_MS).toISOString() }), "in_future"],
  [auditLine(1010, { apiVersion: "audit.k8s.io/v2" }), "unknown_api_version"],
  [auditLine(1011, { stage: "Finished" }), "unknown_stage"],
  [auditLine(1012, { stageTimestamp: "yesterday at noon" }), "bad_timestamp"],
];

describe("bad input in one audit log", () => {
  // Valid events 0…39 around the bad lines; event 7 twice (a duplicate), and request 20 also seen as
  // RequestReceived (one request, not a duplicate).
  const valid = Array.from({ length: 40 }, (_, n) => auditLine(n));
  const lines = [
    ...valid.slice(0, 5),
    ...BAD.slice(0, 8).map(([l]) => l),
    ...valid.slice(5, 8),
    valid[7]!,
    auditLine(20, { stage: "RequestReceived", stageTimestamp: auditEvent(20).requestReceivedTimestamp, responseStatus: undefined }),
    ...BAD.slice(8).map(([l]) => l),
    ...valid.slice(8),
  ];
  let log: string;

  beforeAll(() => {
    log = write("mixed.log", lines);
  });

  it("keeps every valid event and counts each bad line by reason", async () => {
    const outcome = await h.svc.ingestUpload(log, "mixed.log");
    const skipped = { ...tally(BAD.map(([, r]) => r)), duplicate: 1 };
    // Request 20's RequestReceived is merged into the request, stored once from its ResponseComplete.
    expect(outcome).toEqual({ accepted: valid.length, open: 0, merged: 1, skipped });
    expect(await storedAuditIds(h.svc)).toEqual(Array.from({ length: valid.length }, (_, n) => auditId(n)));
    const s = await sourceStatus(h.svc, "upload:mixed.log");
    expect({ accepted: s.accepted, open: s.open, merged: s.merged, skipped: s.skipped }).toEqual({ accepted: valid.length, open: 0, merged: 1, skipped });
    // Samples say where: the line number of the first bad line of each reason.
    const firstLine = (reason: SkipReason) => lines.findIndex((l) => l === BAD.find(([, r]) => r === reason)![0]) + 1;
    for (const reason of ["invalid_json", "wrong_type", "missing_field", "empty_list", "in_future"] as const) {
      expect(s.samples.filter((x) => x.reason === reason).map((x) => x.line)).toContain(firstLine(reason));
    }
    expect(s.samples).toContainEqual({ reason: "wrong_type", detail: "objectRef", line: firstLine("wrong_type") });
  });

  it("stores nothing twice when the same log is uploaded again: every event of a stored request is a duplicate", async () => {
    const again = await h.svc.ingestUpload(log, "mixed.log");
    const storedLines = valid.length + 1 + 1; // event 7 is in the file twice; request 20's RequestReceived
    expect(again).toEqual({ accepted: 0, open: 0, merged: 0, skipped: { ...tally(BAD.map(([, r]) => r)), duplicate: storedLines } });
    expect(await storedRequests(h.svc)).toEqual({ rows: valid.length, ids: valid.length });
  });
});

describe("damaged and unusual files", () => {
  it("keeps the events of a corrupt gzip file up to the damage", async () => {
    const text = `${Array.from({ length: 3000 }, (_, n) => auditLine(10_000 + n)).join("\n")}\n`;
    const gz = gzipSync(text);
    const file = path.join(files.dir, "audit-2024-12-11T15-04-05.123.log.gz");
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    // What gzip itself recovers from the damaged file: its complete lines are the events to keep.
    const recovered = spawnSync("gzip", ["-dc", file], { maxBuffer: 1 << 28 }).stdout.toString("utf8");
    const complete = recovered.split("\n").length - 1;
    expect(complete).toBeGreaterThan(100);
    expect(complete).toBeLessThan(3000);
    const before = (await storedRequests(h.svc)).rows;
    const partial = recovered.endsWith("\n") ? {} : { invalid_json: 1 };
    expect(await h.svc.ingestUpload(file, "corrupt.log.gz")).toEqual({ accepted: complete, open: 0, merged: 0, skipped: { corrupt_gzip: 1, ...partial } });
    expect((await storedRequests(h.svc)).rows).toBe(before + complete);
    // The same every time: uploaded again, each recovered event is a duplicate.
    for (let i = 0; i < 4; i++) {
      expect(await h.svc.ingestUpload(file, "corrupt.log.gz")).toEqual({ accepted: 0, open: 0, merged: 0, skipped: { corrupt_gzip: 1, duplicate: complete, ...partial } });
    }
  });

  it("reads an uploaded EventList (the webhook's body format), whose items inherit its apiVersion", async () => {
    const items = Array.from({ length: 25 }, (_, n) => {
      const { kind: _k, apiVersion: _v, ...item } = auditEvent(20_000 + n);
      return item;
    });
    const file = path.join(files.dir, "eventlist.json");
    writeFileSync(file, JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items }, null, 2));
    const before = (await storedRequests(h.svc)).rows;
    expect(await h.svc.ingestUpload(file, "eventlist.json")).toEqual({ accepted: items.length, open: 0, merged: 0, skipped: {} });
    expect((await storedRequests(h.svc)).rows).toBe(before + items.length);
  });

  it("reads a line over 1 MB (an event with a large object) instead of refusing it", async () => {
    const big = auditLine(21_000, { requestObject: { padding: "x".repeat(1_100_000) } });
    const file = write("large-line.log", [auditLine(21_001), big, auditLine(21_002)]);
    expect(await h.svc.ingestUpload(file, "large-line.log")).toEqual({ accepted: 3, open: 0, merged: 0, skipped: {} });
    expect(await storedAuditIds(h.svc)).toEqual(expect.arrayContaining([auditId(21_000), auditId(21_001), auditId(21_002)]));
  });
});

describe("retention at ingest", () => {
  it("skips events older than APISCOPE_AUDIT_RETENTION from a followed file, and keeps them in an upload", async () => {
    const old = (n: number) => JSON.stringify(auditAtAge(n, (RETENTION_DAYS + 33) * DAY_MS));
    const file = write("old.log", [old(22_000), old(22_001), auditLine(22_002)]);
    const live: IngestContext = { store: h.svc.store, source: "file:old.log", sink: "segment", nowMs: Date.now(), retentionSeconds: RETENTION_DAYS * 86_400 };
    expect(await ingestFile(file, live)).toEqual({ accepted: 1, open: 0, merged: 0, skipped: { older_than_retention: 2 } });
    // The same log uploaded for a post-mortem: its old events are what it is for.
    expect(await h.svc.ingestUpload(file, "old.log")).toEqual({ accepted: 2, open: 0, merged: 0, skipped: { duplicate: 1 } });
    expect(await storedAuditIds(h.svc)).toEqual(expect.arrayContaining([auditId(22_000), auditId(22_001), auditId(22_002)]));
    // The future is refused either way.
    const future = write("future.log", [auditLine(22_003, { stageTimestamp: new Date(Date.now() + 2 * 3600_000).toISOString() })]);
    expect(await h.svc.ingestUpload(future, "future.log")).toEqual({ accepted: 0, open: 0, merged: 0, skipped: { in_future: 1 } });
  });
});

describe("the audit webhook", () => {
  it("stores batches sent together once each, and a batch sent again (a retry) as duplicates", async () => {
    const w = await openAudit();
    try {
      const batch = (first: number, pretty = false) => {
        const items = Array.from({ length: 40 }, (_, i) => {
          const { kind: _k, apiVersion: _v, ...item } = auditEvent(first + i);
          return item;
        });
        return JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items }, null, pretty ? 2 : undefined);
      };
      const bodies = [0, 40, 80, 120, 160].map((first, i) => batch(50_000 + first, i === 2));
      const answers = bodies.map((b) => w.svc.webhook.submit(Buffer.from(b)));
      expect(answers.every((a) => a !== null)).toBe(true);
      await Promise.all(answers);
      expect(await storedRequests(w.svc)).toEqual({ rows: 200, ids: 200 });
      await w.svc.webhook.submit(Buffer.from(bodies[1]!));
      await w.svc.webhook.submit(Buffer.from(bodies[2]!));
      expect(await storedRequests(w.svc)).toEqual({ rows: 200, ids: 200 });
      const s = await sourceStatus(w.svc, "webhook");
      expect({ accepted: s.accepted, open: s.open, skipped: s.skipped }).toEqual({ accepted: 200, open: 0, skipped: { duplicate: 80 } });
    } finally {
      await w.close();
    }
  });

  it("keeps the valid events of a batch with a malformed item, and says what was wrong", async () => {
    const w = await openAudit();
    try {
      const items: Array<Record<string, unknown>> = Array.from({ length: 10 }, (_, i) => {
        const { kind: _k, apiVersion: _v, ...item } = auditEvent(70_000 + i);
        return item;
      });
      items[3] = { ...items[3], objectRef: "pods" };
      items[7] = { ...items[7], auditID: undefined };
      const outcome = await w.svc.webhook.submit(Buffer.from(JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items })));
      expect(outcome).toEqual({ accepted: 8, open: 0, merged: 0, skipped: { wrong_type: 1, missing_field: 1 } });
      expect((await storedRequests(w.svc)).rows).toBe(8);
    } finally {
      await w.close();
    }
  });
});

describe("an ingest that fails half-way", () => {
  it("leaves nothing behind, so its retry stores every request exactly once", async () => {
    const r = await openAudit();
    try {
      // 30 completed requests and 2 still open (RequestReceived only).
      const lines = [
        ...Array.from({ length: 30 }, (_, n) => auditLine(30_000 + n)),
        auditLine(30_100, { stage: "RequestReceived", verb: "watch", responseStatus: undefined }),
        auditLine(30_101, { stage: "RequestReceived", verb: "watch", responseStatus: undefined }),
      ];
      const file = write("retry.log", lines);
      const context = (sink: IngestContext["sink"], onCommit?: IngestContext["onCommit"]): IngestContext => ({
        store: r.svc.store,
        source: "upload:retry.log",
        sink,
        nowMs: Date.now(),
        retentionSeconds: RETENTION_DAYS * 86_400,
        onCommit,
      });
      for (const sink of ["segment", "hot"] as const) {
        const failing = context(sink, async () => {
          throw new Error("disk full");
        });
        await expect(ingestFile(file, failing)).rejects.toThrow("disk full");
      }
      expect(await storedAuditIds(r.svc)).toEqual([]);
      expect((await r.svc.store.query("SELECT * FROM ingest_counts")).length).toBe(0);
      expect(readdirSync(path.join(r.dataDir, "segments"))).toEqual([]);

      expect(await ingestFile(file, context("segment"))).toEqual({ accepted: 30, open: 2, merged: 0, skipped: {} });
      // Read again, the two open requests are duplicates too: already stored at that stage.
      expect(await ingestFile(file, context("hot"))).toEqual({ accepted: 0, open: 0, merged: 0, skipped: { duplicate: 32 } });
      expect(await storedRequests(r.svc)).toEqual({ rows: 30, ids: 30 });
      const s = await sourceStatus(r.svc, "upload:retry.log");
      expect({ accepted: s.accepted, open: s.open }).toEqual({ accepted: 30, open: 2 });
    } finally {
      await r.close();
    }
  });
});
