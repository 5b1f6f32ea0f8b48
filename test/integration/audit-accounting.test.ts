// Nothing is lost silently: for every input, the store's per-source accounting (ingest_counts, as the Audit logs
// page and /api/audit/status show it) adds up to what was read, counted independently (test/support/audit-count.ts):
//
//   events read = stored (accepted) + kept open + earlier stages merged into their request + skipped, by reason
//                 (duplicates included)
//
// and, for inputs holding one event per line, lines read = the same sum. Checked on every public fixture in its own
// format and gzip-compressed, on a generated compact EventList over 1 MB (uploaded plain and gzip-compressed, and
// sent to the webhook whole and with a malformed item), and on JSON lines holding what used to vanish: [] lines,
// empty EventLists, blank lines, earlier stages of a request.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_LINE_BYTES } from "@/lib/audit/decode";
import type { SourceStatus } from "@/lib/audit/types";
import { auditAtAge, auditEvent, auditId, auditLine } from "@/test/support/audit-events";
import { countInput, type InputCount } from "@/test/support/audit-count";
import { openAudit, sourceStatus, storedRequests, tempDir, type AuditHarness } from "@/test/support/audit-harness";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/audit");
const DAY_MS = 86_400_000;

let h: AuditHarness;
let tmp: ReturnType<typeof tempDir>;
/** Every upload: its source and what it holds, counted independently. */
const uploads: Array<{ source: string; count: InputCount }> = [];

const total = (s: SourceStatus) => s.accepted + s.open + s.merged + Object.values(s.skipped).reduce((a, b) => a + (b ?? 0), 0);
const account = (s: SourceStatus) => ({ accepted: s.accepted, open: s.open, merged: s.merged, skipped: s.skipped });

/** An EventList's items: kube-apiserver leaves their kind and apiVersion to the list. */
const item = (n: number, prefix: string, over: Record<string, unknown> = {}) => {
  const { kind: _k, apiVersion: _v, ...rest } = auditEvent(n, { auditID: auditId(n, prefix), requestObject: { spec: { padding: "x".repeat(2000) } }, ...over });
  return rest;
};
const eventList = (items: unknown[]) => JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items });

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, content);
  return file;
}

async function upload(file: string, name: string): Promise<void> {
  uploads.push({ source: `upload:${name}`, count: countInput(file) });
  await h.svc.ingestUpload(file, name);
}

beforeAll(async () => {
  tmp = tempDir("audit-accounting");
  h = await openAudit({ retention: "7d" });
  for (const dir of ["sysdig-aks", "elastic", "falco"]) {
    for (const name of readdirSync(path.join(FIXTURES, dir)).sort()) {
      const file = path.join(FIXTURES, dir, name);
      await upload(file, name);
      await upload(write(`${name}.gz`, gzipSync(readFileSync(file))), `${name}.gz`);
    }
  }
});

afterAll(async () => {
  await h?.close();
  tmp?.cleanup();
});

describe("ingest accounting", () => {
  it("adds up to the events read for every public fixture, in its own format and gzip-compressed", async () => {
    expect(uploads).toHaveLength(2 * 51);
    for (const { source, count } of uploads) {
      const s = await sourceStatus(h.svc, source);
      expect(total(s), `${source}: ${JSON.stringify(account(s))} for ${JSON.stringify(count)}`).toBe(count.events);
      if (count.oneEventPerLine) expect(total(s), source).toBe(count.lines);
    }
    // The compressed copies store nothing more: each of their requests is a duplicate.
    const stored = (await Promise.all(uploads.map((u) => sourceStatus(h.svc, u.source)))).reduce((n, s) => n + s.accepted, 0);
    expect((await storedRequests(h.svc)).ids).toBe(stored);
  });

  it("adds up for a compact EventList over 1 MB, uploaded plain or gzip-compressed: every item is read", async () => {
    const items = Array.from({ length: 600 }, (_, i) => item(i, "0e1"));
    const line = eventList(items);
    expect(Buffer.byteLength(line)).toBeGreaterThan(MAX_LINE_BYTES);
    const plain = write("batch.json", `${line}\n`);
    const count = countInput(plain);
    expect(count).toMatchObject({ lines: 1, values: 1, events: 600 });
    await h.svc.ingestUpload(plain, "batch.json");
    expect(account(await sourceStatus(h.svc, "upload:batch.json"))).toEqual({ accepted: 600, open: 0, merged: 0, skipped: {} });
    await h.svc.ingestUpload(write("batch.json.gz", gzipSync(line)), "batch.json.gz");
    expect(account(await sourceStatus(h.svc, "upload:batch.json.gz"))).toEqual({ accepted: 0, open: 0, merged: 0, skipped: { duplicate: 600 } });
  });

  it("adds up for the webhook: a batch over 1 MB with a malformed item keeps the other items; an empty one is counted", async () => {
    const items: Array<Record<string, unknown>> = Array.from({ length: 600 }, (_, i) => item(i, "0e2"));
    items[300] = { ...items[300], objectRef: "pods" };
    const body = eventList(items);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_LINE_BYTES);
    const outcome = await h.svc.webhook.submit(Buffer.from(body));
    expect(outcome).toEqual({ accepted: 599, open: 0, merged: 0, skipped: { wrong_type: 1 } });
    expect(total(await sourceStatus(h.svc, "webhook"))).toBe(countInput(write("webhook.json", body)).events);
    // An EventList without items is counted too, though DuckDB's fast reader would see no row in it.
    expect(await h.svc.webhook.submit(Buffer.from(eventList([])))).toEqual({ accepted: 0, open: 0, merged: 0, skipped: { empty_list: 1 } });
  });

  it("adds up for JSON lines holding [] lines, empty lists, blank lines, earlier stages and a line over 1 MB", async () => {
    const watch = { verb: "watch", requestURI: "/api/v1/pods?watch=true", responseStatus: undefined };
    const lines = [
      auditLine(1, { auditID: auditId(1, "0e3") }),
      "",
      "[]",
      auditLine(2, { auditID: auditId(2, "0e3"), stage: "RequestReceived", responseStatus: undefined }),
      auditLine(2, { auditID: auditId(2, "0e3") }),
      auditLine(3, { auditID: auditId(3, "0e3"), stage: "RequestReceived", ...watch }),
      auditLine(3, { auditID: auditId(3, "0e3"), stage: "ResponseStarted", ...watch }),
      '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}',
      "   ",
      auditLine(1, { auditID: auditId(1, "0e3") }),
      "I1211 15:04:05.123456 1 httplog.go:132] not an audit event",
      '{"records":[]}',
      eventList(Array.from({ length: 600 }, (_, i) => item(100 + i, "0e3"))),
      JSON.stringify({ ...auditAtAge(4, 40 * DAY_MS), auditID: auditId(4, "0e3") }),
      JSON.stringify({ auditID: "no-stage" }),
      JSON.stringify([[], { ...auditEvent(5), auditID: auditId(5, "0e3") }]),
      "\r",
    ];
    const file = write("tricky.log", `${lines.join("\n")}\n`);
    const count = countInput(file);
    expect(count.lines).toBe(lines.filter((l) => l.trim() !== "").length);
    await h.svc.ingestUpload(file, "tricky.log");
    const s = await sourceStatus(h.svc, "upload:tricky.log");
    expect(total(s)).toBe(count.events);
    expect(account(s)).toEqual({
      accepted: 1 + 1 + 600 + 1 + 1, // 1, 2, the EventList's items, the 40-day-old one, 5
      open: 1, // the WATCH (3) seen as ResponseStarted
      merged: 2, // 2's RequestReceived, 3's RequestReceived
      skipped: { empty_list: 4, duplicate: 1, invalid_json: 1, missing_field: 1 },
    });
    // Open requests in the store are those counted open, by every source.
    const open = (await Promise.all([...uploads.map((u) => u.source), "upload:tricky.log"].map((src) => sourceStatus(h.svc, src)))).reduce((n, x) => n + x.open, 0);
    expect((await h.svc.store.query<{ n: number }>("SELECT count(*) AS n FROM open_requests"))[0]!.n).toBe(open);
  });
});
