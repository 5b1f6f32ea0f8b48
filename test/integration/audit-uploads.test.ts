// Uploads for post-incident analysis: read whatever their age, kept until deleted (age-based retention is for what
// is followed or received live), deletable as a whole — requests, open requests, rollups and accounting — with
// size-based retention and APISCOPE_AUDIT_UPLOAD_RETENTION still bounding the store.
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { enforceRetention } from "@/lib/audit/maintenance";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { auditStatus, runBreakdown } from "@/lib/audit/query/run";
import type { AuditService } from "@/lib/audit/service";
import { purgeRetired } from "@/lib/audit/segments";
import { closeStore } from "@/lib/store/server";
import { auditAtAge, auditId } from "../support/audit-events";
import { ingestLive, openAudit, sourceStatus, storedAuditIds, storedRequests, tempDir, type AuditHarness } from "../support/audit-harness";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const tmp = tempDir("uploads");
let h: AuditHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => tmp.cleanup());

/** A log of `count` completed requests of `client`, `ageMs` old (a second apart), and `open` WATCHes still open. */
function log(name: string, first: number, count: number, ageMs: number, client: string, open = 0): string {
  const ua = `${client}/v1.0.0 (linux/amd64) kubernetes/abc1234`;
  const lines = [
    ...Array.from({ length: count }, (_, i) => ({ ...auditAtAge(first + i, ageMs - i * 1000), userAgent: ua })),
    ...Array.from({ length: open }, (_, i) => ({ ...auditAtAge(first + count + i, ageMs), userAgent: ua, stage: "ResponseStarted", verb: "watch", responseStatus: undefined })),
  ];
  const file = path.join(tmp.dir, name);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

/** Requests per client in a window, as the Load page's breakdown answers. */
async function byClient(svc: AuditService, fromMs: number, toMs: number): Promise<Record<string, number>> {
  const r = parseAuditRequest(new URLSearchParams({ from: String(Math.round(fromMs)), to: String(Math.round(toMs)), group: "client", top: "100" }), Date.now());
  if (typeof r === "string") throw new Error(r);
  return Object.fromEntries((await runBreakdown(svc, r)).rows.map((row) => [row.keys?.[0] ?? "(other)", row.requests]));
}

const segmentsOf = (svc: AuditService, upload: string | null) =>
  svc.store.query<{ file: string; rollup_file: string | null; bytes: number }>(
    `SELECT file, rollup_file, bytes FROM segments WHERE upload ${upload === null ? "IS NULL" : "= $1"}`,
    upload === null ? [] : [upload],
  );

describe("an uploaded audit log", () => {
  it("is stored whatever its age, in segments of its own, and age-based retention leaves it alone", async () => {
    h = await openAudit({ retention: "7d" });
    const at = Date.now() - 40 * DAY;
    expect(await h.svc.ingestUpload(log("incident.log", 0, 50, 40 * DAY, "postmortem", 1), "incident.log")).toEqual({ accepted: 50, open: 1, merged: 0, skipped: {} });
    // The same age followed live is past APISCOPE_AUDIT_RETENTION.
    expect(await ingestLive(h.svc, log("followed-old.log", 1000, 5, 40 * DAY, "live"))).toMatchObject({ accepted: 0, skipped: { older_than_retention: 5 } });
    await ingestLive(h.svc, log("followed.log", 2000, 20, HOUR, "live"));
    expect((await h.svc.store.query<{ n: number }>("SELECT count(*) AS n FROM events_hot"))[0]!.n).toBe(0);

    // Maintenance: retention by age, then every segment rewritten in time order with its rollups.
    await h.svc.maintain();
    await enforceRetention(h.svc.store, Date.now(), 7 * 86_400, 1e12);
    const own = await segmentsOf(h.svc, "upload:incident.log");
    expect(own).toHaveLength(1);
    expect(own[0]!.rollup_file).not.toBeNull();
    expect(await storedRequests(h.svc)).toEqual({ rows: 70, ids: 70 });
    expect(await byClient(h.svc, at - 2 * HOUR, at + HOUR)).toEqual({ postmortem: 51 }); // with its open WATCH
    // Its WATCH stays open too, although older than the retention.
    const open = await h.svc.store.query<{ audit_id: string; upload: string }>("SELECT audit_id, upload FROM open_requests");
    expect(open).toEqual([{ audit_id: auditId(50), upload: "upload:incident.log" }]);
    const s = await sourceStatus(h.svc, "upload:incident.log");
    expect(s.uploadedMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it("is deleted with its requests, open requests, rollups and accounting; the breakdowns stop counting it", async () => {
    h = await openAudit({ retention: "7d" });
    const at = Date.now() - 40 * DAY;
    await h.svc.ingestUpload(log("a.log", 0, 30, 40 * DAY, "upload-a", 1), "a.log");
    await h.svc.ingestUpload(log("b.log", 100, 20, 40 * DAY - 60_000, "upload-b"), "b.log");
    // A line of a.log it cannot read, so that it has skip samples to delete too.
    writeFileSync(path.join(tmp.dir, "a-more.log"), "not json\n");
    await h.svc.ingestUpload(path.join(tmp.dir, "a-more.log"), "a.log");
    await ingestLive(h.svc, log("followed.log", 200, 10, HOUR, "live"));
    await h.svc.maintain();
    expect(await byClient(h.svc, at - 2 * HOUR, at + HOUR)).toEqual({ "upload-a": 31, "upload-b": 20 }); // a's open WATCH too
    const files = (await segmentsOf(h.svc, "upload:a.log")).flatMap((s) => [s.file, s.rollup_file!, s.rollup_file!.replace(".rollup.", ".rollup-coarse.")]);
    expect(files).toHaveLength(3);

    expect(await h.svc.deleteUpload("upload:a.log")).toEqual({ source: "upload:a.log", requests: 30, open: 1, segments: 1 });
    expect(await byClient(h.svc, at - 2 * HOUR, at + HOUR)).toEqual({ "upload-b": 20 });
    expect(await storedRequests(h.svc)).toEqual({ rows: 30, ids: 30 });
    expect((await storedAuditIds(h.svc)).filter((id) => id <= auditId(30))).toEqual([]);
    const status = await auditStatus(h.svc);
    expect(status.sources.map((x) => x.source).sort()).toEqual(["file:followed.log", "upload:b.log"]);
    expect(status.store.requests).toBe(30);
    for (const table of ["ingest_counts", "skip_samples", "uploads"]) {
      expect((await h.svc.store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE source = 'upload:a.log'`))[0]!.n, table).toBe(0);
    }
    // Its files stay for queries already reading them, then go.
    for (const f of files) expect(existsSync(path.join(h.svc.store.segmentsDir, f))).toBe(true);
    await h.svc.store.write((conn) => purgeRetired(conn, h!.svc.store, 0));
    for (const f of files) expect(existsSync(path.join(h.svc.store.segmentsDir, f)), f).toBe(false);

    expect(await h.svc.deleteUpload("upload:a.log")).toBeNull();
    // Uploaded again, it is stored again: nothing of it is left to be a duplicate of.
    expect(await h.svc.ingestUpload(log("a.log", 0, 30, 40 * DAY, "upload-a", 1), "a.log")).toEqual({ accepted: 30, open: 1, merged: 0, skipped: {} });
  });

  it("is bounded by size with everything else (what arrived first goes first, an upload whole) and by its own retention", async () => {
    h = await openAudit({ retention: "30d" });
    await ingestLive(h.svc, log("f48.log", 0, 300, 48 * HOUR, "live"));
    await ingestLive(h.svc, log("f36.log", 1000, 300, 36 * HOUR, "live"));
    await h.svc.ingestUpload(log("u.log", 2000, 300, 40 * DAY, "upload"), "u.log");
    const live = await h.svc.store.query<{ bytes: number; max_ts: number }>("SELECT bytes, max_ts FROM segments WHERE upload IS NULL ORDER BY max_ts");
    const upload = (await segmentsOf(h.svc, "upload:u.log"))[0]!.bytes;
    const total = live[0]!.bytes + live[1]!.bytes + upload;

    // Over by a byte: the oldest live segment goes, not the upload whose requests are older (it arrived later).
    let r = await enforceRetention(h.svc.store, Date.now(), 30 * 86_400, total - 1);
    expect(r).toMatchObject({ droppedSegments: 1, deletedUploads: [] });
    expect((await h.svc.store.query<{ max_ts: number }>("SELECT max_ts FROM segments WHERE upload IS NULL")).map((s) => s.max_ts)).toEqual([live[1]!.max_ts]);
    // Still too big without it: the next live segment, then the upload as a whole, its accounting with it.
    r = await enforceRetention(h.svc.store, Date.now(), 30 * 86_400, upload - 1);
    expect(r).toMatchObject({ droppedSegments: 1, deletedUploads: ["upload:u.log"] });
    expect(await storedRequests(h.svc)).toEqual({ rows: 0, ids: 0 });
    expect((await auditStatus(h.svc)).sources.map((s) => s.source).sort()).toEqual(["file:f36.log", "file:f48.log"]);

    // APISCOPE_AUDIT_UPLOAD_RETENTION: an upload goes that long after it was uploaded (two hours later, with 1h).
    await h.svc.ingestUpload(log("v.log", 3000, 10, 40 * DAY, "upload"), "v.log");
    expect(await enforceRetention(h.svc.store, Date.now(), 30 * 86_400, 1e12, 3600)).toMatchObject({ deletedUploads: [] });
    expect(await enforceRetention(h.svc.store, Date.now() + 2 * HOUR, 30 * 86_400, 1e12, 3600)).toMatchObject({ deletedUploads: ["upload:v.log"] });
    expect(await storedRequests(h.svc)).toEqual({ rows: 0, ids: 0 });
  });
});

describe("DELETE /api/audit/upload", () => {
  it("deletes an upload named as the status lists it, and refuses anything else", async () => {
    const dataDir = tempDir("upload-route");
    const saved = { url: process.env.APISCOPE_PROMETHEUS_URL, dir: process.env.APISCOPE_DATA_DIR };
    Object.assign(process.env, { APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9", APISCOPE_DATA_DIR: dataDir.dir });
    const route = await import("@/app/api/audit/upload/route");
    const { getAuditService } = await import("@/lib/audit/server");
    const svc = await getAuditService();
    try {
      await svc.ingestUpload(log("old.log", 0, 5, 40 * DAY, "route"), "old.log");
      const del = (query: string) => route.DELETE(new Request(`http://apiscope/api/audit/upload?${query}`, { method: "DELETE" }));
      expect((await del("source=file%3A%2Fvar%2Flog%2Faudit.log")).status).toBe(400);
      expect((await del("")).status).toBe(400);
      expect((await del("source=upload%3Anone.log")).status).toBe(404);
      const ok = await del("source=upload%3Aold.log");
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: "success", data: { source: "upload:old.log", requests: 5, open: 0, segments: 1 } });
      expect((await del("source=upload%3Aold.log")).status).toBe(404);
    } finally {
      await svc.close();
      // The route's service and store are the process's: leave no closed service, no open store behind, nor this
      // configuration.
      delete (globalThis as { __apiscopeAudit?: unknown }).__apiscopeAudit;
      await closeStore();
      for (const [key, value] of [["APISCOPE_PROMETHEUS_URL", saved.url], ["APISCOPE_DATA_DIR", saved.dir]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      dataDir.cleanup();
    }
  });
});
