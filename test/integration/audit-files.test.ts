// Following kube-apiserver audit log files on disk as they are written, rotated (lumberjack: rename, a new file,
// optional gzip of the old one), truncated and read across a restart: every request is stored exactly once.
import { spawnSync } from "node:child_process";
import { appendFileSync, createReadStream, createWriteStream, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditStatus } from "@/lib/audit/query/run";
import { auditId, auditLine, auditLines } from "@/test/support/audit-events";
import { openAudit, sourceStatus, storedAuditIds, storedRequests, tempDir, type AuditHarness } from "@/test/support/audit-harness";

let logs: ReturnType<typeof tempDir>;
let live: string;
let h: AuditHarness;

beforeEach(async () => {
  logs = tempDir("audit-logs");
  live = path.join(logs.dir, "audit.log");
  h = await openAudit({ files: [live] });
});

afterEach(async () => {
  await h?.close();
  logs?.cleanup();
});

/** Polls once and checks that exactly `n` requests are stored, each once, and nothing was skipped. */
async function pollAndExpect(n: number): Promise<void> {
  await h.svc.pollFiles();
  expect(await storedRequests(h.svc)).toEqual({ rows: n, ids: n });
  if (n > 0) {
    const s = await sourceStatus(h.svc, `file:${live}`);
    expect({ accepted: s.accepted, skipped: s.skipped }).toEqual({ accepted: n, skipped: {} });
  }
}

/** As lumberjack rotates: the live file is renamed to a timestamped backup and a new live file starts. */
function rotate(stamp: string): string {
  const backup = path.join(logs.dir, `audit-${stamp}.log`);
  renameSync(live, backup);
  return backup;
}

/** As lumberjack compresses a backup: gzip beside it, then remove the original. */
async function compress(backup: string): Promise<void> {
  await pipeline(createReadStream(backup), createGzip(), createWriteStream(`${backup}.gz`));
  rmSync(backup);
}

describe("following audit log files", () => {
  it("reads lines appended between polls, and a partial last line only once it is complete", async () => {
    writeFileSync(live, auditLines(0, 1));
    await pollAndExpect(1);
    appendFileSync(live, auditLines(1, 9));
    await pollAndExpect(10);
    const next = auditLine(10);
    appendFileSync(live, next.slice(0, 200));
    await pollAndExpect(10);
    appendFileSync(live, `${next.slice(200)}\n${auditLines(11, 4)}`);
    await pollAndExpect(15);
  });

  it("stores a WATCH as open until its ResponseComplete is appended, then once, as completed", async () => {
    const watch = (stage: string) => `${auditLine(100, { stage, verb: "watch", requestURI: "/api/v1/pods?watch=true" })}\n`;
    writeFileSync(live, watch("RequestReceived") + watch("ResponseStarted") + auditLines(0, 2));
    await pollAndExpect(2);
    expect((await auditStatus(h.svc)).store.openRequests).toBe(1);
    expect(await storedAuditIds(h.svc)).toEqual([auditId(0), auditId(1), auditId(100)]);
    appendFileSync(live, watch("ResponseComplete"));
    await pollAndExpect(3);
    expect((await auditStatus(h.svc)).store.openRequests).toBe(0);
    expect(await storedAuditIds(h.svc)).toEqual([auditId(0), auditId(1), auditId(100)]);
  });

  it("follows a rename rotation, reading what was appended to the old file before and after the rename", async () => {
    writeFileSync(live, auditLines(0, 10));
    await pollAndExpect(10);
    appendFileSync(live, auditLines(10, 3)); // not polled before the rename
    const backup = rotate("2024-12-11T15-04-05.123");
    appendFileSync(backup, auditLines(13, 2)); // the writer still had the old file open
    writeFileSync(live, auditLines(15, 4));
    await pollAndExpect(19);
    appendFileSync(live, auditLines(19, 2));
    await pollAndExpect(21);
  });

  it("reads a rotated file compressed after the rename (original removed) once, losing nothing", async () => {
    writeFileSync(live, auditLines(0, 1)); // a fresh log is short when first seen
    await pollAndExpect(1);
    appendFileSync(live, auditLines(1, 9));
    await pollAndExpect(10);
    const first = rotate("2024-12-11T15-04-05.123");
    writeFileSync(live, auditLines(10, 1));
    await pollAndExpect(11);
    appendFileSync(first, auditLines(11, 2)); // written to the old file after the last poll
    await compress(first);
    appendFileSync(live, auditLines(13, 6));
    await pollAndExpect(19);

    // Another rotation: the new live file may reuse the removed file's inode.
    const second = rotate("2024-12-11T16-04-05.456");
    writeFileSync(live, auditLines(19, 30));
    await pollAndExpect(49);
    await compress(second);
    appendFileSync(live, auditLines(49, 5));
    await pollAndExpect(54);
    rmSync(`${first}.gz`); // the oldest backup is pruned; its inode may be reused as well
    const third = rotate("2024-12-11T17-04-05.789");
    await compress(third);
    writeFileSync(live, auditLines(54, 40));
    await pollAndExpect(94);
  });

  it("keeps what can be read of a rotated file whose compression was cut short, and goes on", { timeout: 30_000 }, async () => {
    writeFileSync(live, auditLines(0, 2000));
    await pollAndExpect(2000);
    appendFileSync(live, auditLines(2000, 500)); // written after the last poll
    const backup = rotate("2024-12-11T15-04-05.123");
    await compress(backup);
    const gz = `${backup}.gz`;
    truncateSync(gz, Math.floor(statSync(gz).size * 0.9)); // the disk filled up while compressing
    writeFileSync(live, auditLines(2500, 10));
    // What gzip itself recovers from the damaged file: its complete lines are the events to keep.
    const recovered = spawnSync("gzip", ["-dc", gz], { maxBuffer: 1 << 28 }).stdout.toString("utf8");
    const complete = recovered.split("\n").length - 1;
    expect(complete).toBeGreaterThan(2000);
    expect(complete).toBeLessThan(2500);
    await h.svc.pollFiles();
    expect(await storedRequests(h.svc)).toEqual({ rows: complete + 10, ids: complete + 10 });
    const s = await sourceStatus(h.svc, `file:${live}`);
    expect(s.skipped).toEqual({ corrupt_gzip: 1, ...(recovered.endsWith("\n") ? {} : { invalid_json: 1 }) });
  });

  it("starts over after the file is truncated in place (copytruncate)", async () => {
    writeFileSync(live, auditLines(0, 10));
    await pollAndExpect(10);
    truncateSync(live, 0);
    appendFileSync(live, auditLines(10, 3));
    await pollAndExpect(13);
    // Truncated again and refilled past the old read offset before the next poll.
    truncateSync(live, 0);
    appendFileSync(live, auditLines(13, 8));
    await pollAndExpect(21);
  });

  it("resumes after a restart without re-reading, and reads what was written while it was down", async () => {
    writeFileSync(live, auditLines(0, 10));
    await pollAndExpect(10);
    const next = auditLine(17);
    await h.restart(() => appendFileSync(live, auditLines(10, 7) + next.slice(0, 100)));
    await pollAndExpect(17);
    appendFileSync(live, `${next.slice(100)}\n`);
    await h.restart();
    await pollAndExpect(18);
  });
});
