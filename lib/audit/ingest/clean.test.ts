// The robust reader on whole inputs: every line (or top-level value) ends up as events or counted skips, a line
// over 1 MB is read piece by piece instead of being refused, and documents are read without being held whole.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES } from "../decode";
import { cleanInput } from "./clean";

const dir = mkdtempSync(path.join(tmpdir(), "apiscope-clean-"));
let seq = 0;

const event = (n: number, pad = 0) => ({
  auditID: `id-${n}`,
  stage: "ResponseComplete",
  verb: "get",
  requestURI: "/api/v1/pods",
  stageTimestamp: "2024-12-11T15:04:05.000000Z",
  ...(pad > 0 ? { requestObject: { pad: "x".repeat(pad) } } : {}),
});
const item = (n: number) => event(n, 2000);
const eventList = (first: number, count: number) => ({ kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items: Array.from({ length: count }, (_, i) => item(first + i)) });

/** Runs the reader over `text` cut into chunks of `chunk` bytes; the events written, by auditID with their line. */
async function clean(text: string, chunk = 65536) {
  const buf = Buffer.from(text);
  const input = Array.from({ length: Math.ceil(buf.length / chunk) }, (_, i) => buf.subarray(i * chunk, (i + 1) * chunk));
  const out = path.join(dir, `out-${seq++}.jsonl`);
  const cleaned = await cleanInput(Readable.from(input), out);
  const written = readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { auditID: string; apiVersion?: string; __line: number });
  return { cleaned, written };
}

describe("the robust reader", () => {
  it("reads a compact EventList line over 1 MB among other lines, whatever the chunking", async () => {
    const big = JSON.stringify(eventList(100, 800));
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_LINE_BYTES);
    const text = [JSON.stringify(event(1)), big, JSON.stringify(event(2))].join("\n") + "\n";
    for (const chunk of [65536, 4096, text.length]) {
      const { cleaned, written } = await clean(text, chunk);
      expect(cleaned.skipCounts).toEqual({});
      expect(written.map((e) => e.auditID)).toEqual(["id-1", ...Array.from({ length: 800 }, (_, i) => `id-${100 + i}`), "id-2"]);
      expect(written.slice(1, -1).every((e) => e.__line === 2 && e.apiVersion === "audit.k8s.io/v1")).toBe(true);
      expect(written.at(-1)!.__line).toBe(3);
    }
    expect(readdirSync(dir).filter((f) => !f.endsWith(".jsonl"))).toEqual([]); // spill files are removed
  });

  it("counts a long line that is not JSON once, and keeps the lines around it", async () => {
    const broken = JSON.stringify(eventList(0, 800)).slice(0, -10);
    const { cleaned, written } = await clean(`${JSON.stringify(event(1))}\n${broken}\n${JSON.stringify(event(2))}`, 8192);
    expect(cleaned.skipCounts).toEqual({ invalid_json: 1 });
    expect(cleaned.samples).toEqual([{ reason: "invalid_json", detail: expect.any(String), line: 2 }]);
    expect(written.map((e) => e.auditID)).toEqual(["id-1", "id-2"]);
  });

  it("counts [] lines and empty EventLists, and not blank lines", async () => {
    const text = ["[]", "", JSON.stringify(event(1)), "   ", '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}', "\r", JSON.stringify(event(2))].join("\n");
    const { cleaned, written } = await clean(text);
    expect(cleaned.skipCounts).toEqual({ empty_list: 2 });
    expect(cleaned.samples.map((s) => s.line)).toEqual([1, 5]);
    expect(written.map((e) => [e.auditID, e.__line])).toEqual([["id-1", 3], ["id-2", 7]]);
  });

  it("reads pretty-printed documents one after another, and a JSON array, giving each event its line", async () => {
    const a = JSON.stringify(eventList(10, 3), null, 2);
    const b = JSON.stringify(event(20), null, 2);
    const { cleaned, written } = await clean(`${a}\n${b}\n[${JSON.stringify(event(21))}]\n`, 100);
    expect(cleaned.skipCounts).toEqual({});
    expect(written.map((e) => e.auditID)).toEqual(["id-10", "id-11", "id-12", "id-20", "id-21"]);
    expect(written[3]!.__line).toBe(a.split("\n").length + 1);
    const arrays = await clean(`[]\n${JSON.stringify([event(30), event(31)])}\n`);
    expect(arrays.cleaned.skipCounts).toEqual({ empty_list: 1 });
    expect(arrays.written.map((e) => e.auditID)).toEqual(["id-30", "id-31"]);
  });

  it("falls back to lines when a document turns out not to be JSON (a damaged first line)", async () => {
    const text = `${JSON.stringify(event(1)).slice(0, 30)}\n${JSON.stringify(event(2))}\n[]\n${JSON.stringify(event(3))}\n`;
    const { cleaned, written } = await clean(text, 16);
    expect(cleaned.skipCounts).toEqual({ invalid_json: 1, empty_list: 1 });
    expect(written.map((e) => [e.auditID, e.__line])).toEqual([["id-2", 2], ["id-3", 4]]);
  });
});
