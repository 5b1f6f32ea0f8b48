// Seeded fuzzing of the decoder: random JSON values, random bytes and mutations of a valid audit event line
// (truncation, flipped characters, stray quotes and braces, huge strings, deep nesting). Whatever the input,
// decoding never throws, finishes quickly, and yields only events that pass the field check or skips with a
// known reason.
import { describe, expect, it } from "vitest";
import { rng, mutate, randomBytes, randomJson } from "@/test/support/audit-fuzz";
import { decodeDocument, decodeLine, MAX_LINE_BYTES, type Decoded } from "./decode";
import { checkEvent, EVENT_FIELDS } from "./fields";
import { SKIP_REASONS } from "./reasons";

const EVENT = {
  kind: "Event",
  apiVersion: "audit.k8s.io/v1",
  level: "Metadata",
  auditID: "6a1f2b3c-0000-4000-8000-000000000001",
  stage: "ResponseComplete",
  requestURI: "/api/v1/pods?limit=500",
  verb: "list",
  user: { username: "system:serviceaccount:telemetry:telemetry-agent", groups: ["system:serviceaccounts", "system:authenticated"] },
  sourceIPs: ["10.64.0.7"],
  userAgent: "telemetry-agent/v0.9.0 (linux/amd64) telemetry-agent/3f2a9c1",
  objectRef: { resource: "pods", apiVersion: "v1" },
  responseStatus: { metadata: {}, code: 200 },
  requestReceivedTimestamp: "2024-12-11T15:04:05.000001Z",
  stageTimestamp: "2024-12-11T15:04:05.100001Z",
  annotations: { "authorization.k8s.io/decision": "allow", "apiserver.latency.k8s.io/etcd": "2.1ms" },
};
const LINE = JSON.stringify(EVENT);
const KNOWN_FIELDS = new Set(Object.keys(EVENT_FIELDS));

/** Checks every decoded value: a cleaned event that passes the field check again unchanged, or a known skip. */
function expectWellFormed(out: Decoded[], line: number | undefined): void {
  for (const d of out) {
    if ("event" in d) {
      expect(Object.keys(d.event).every((k) => KNOWN_FIELDS.has(k))).toBe(true);
      expect(checkEvent(d.event)).toEqual({ ok: true, value: d.event });
      expect(() => JSON.stringify(d.event)).not.toThrow(); // the robust reader writes it out as a JSON line
      expect(d.line).toBe(line);
    } else {
      expect(Object.keys(SKIP_REASONS)).toContain(d.skip.reason);
      expect(typeof d.skip.detail).toBe("string");
      expect(d.skip.detail.length).toBeLessThanOrEqual(200);
      // A document has no lines, except that JSON which does not parse is reported at line 1.
      if (line === undefined) expect([undefined, 1]).toContain(d.skip.line);
      else expect(d.skip.line).toBe(line);
    }
  }
}

/** Decodes `text` as a line and as a document within the time bound; returns what both yielded. */
function decodeBoth(text: string, line: number): { asLine: Decoded[]; asDocument: Decoded[] } {
  const started = performance.now();
  let asLine: Decoded[] = [];
  let asDocument: Decoded[] = [];
  expect(() => {
    asLine = [...decodeLine(text, line)];
    asDocument = [...decodeDocument(text)];
  }, `seeded input ${line}: ${text.slice(0, 80)}`).not.toThrow();
  expect(performance.now() - started).toBeLessThan(2000);
  expectWellFormed(asLine, line);
  expectWellFormed(asDocument, undefined);
  return { asLine, asDocument };
}

describe("decoding hostile audit input (seeded)", () => {
  it("handles random JSON values", () => {
    const r = rng(1);
    for (let i = 1; i <= 3000; i++) decodeBoth(JSON.stringify(randomJson(r)), i);
  });

  it("handles random bytes", () => {
    const r = rng(2);
    for (let i = 1; i <= 2000; i++) decodeBoth(randomBytes(r), i);
  });

  it("handles mutations of a valid event line", () => {
    const r = rng(3);
    const outcomes = new Set<string>();
    for (let i = 1; i <= 1000; i++) {
      for (const d of decodeBoth(mutate(r, EVENT).text, i).asLine) outcomes.add("event" in d ? "event" : d.skip.reason);
    }
    // The mutations reach events and the skip reasons the decoder owns.
    for (const o of ["event", "invalid_json", "unsupported_format", "wrong_type"]) expect(outcomes).toContain(o);
  });

  it("handles the extremes: lines over 1 MB, 200,000 levels of nesting, deeply nested annotations", () => {
    const cases: Array<[string, string]> = [
      [JSON.stringify({ ...EVENT, requestURI: "x".repeat(MAX_LINE_BYTES) }), "line_too_large"],
      ["[".repeat(200_000) + LINE + "]".repeat(200_000), "unsupported_format"],
      ['{"records":['.repeat(50_000) + LINE + "]}".repeat(50_000), "unsupported_format"],
      [LINE.replace(/"annotations":\{.*\}\}$/, `"annotations":{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`), "wrong_type"],
      [JSON.stringify({ properties: { log: "[".repeat(100_000) + "]".repeat(100_000) } }), "unsupported_format"],
    ];
    for (const [i, [text, reason]] of cases.entries()) {
      const { asLine, asDocument } = decodeBoth(text, i + 1);
      expect(asLine.map((d) => ("skip" in d ? d.skip.reason : "event"))).toEqual([reason]);
      if (reason !== "line_too_large") expect(asDocument.map((d) => ("skip" in d ? d.skip.reason : "event"))).toEqual([reason]);
    }
  });

  it("still decodes the valid event it mutates", () => {
    const [d] = [...decodeLine(LINE, 1)];
    expect(d && "event" in d && d.event.auditID).toBe(EVENT.auditID);
  });
});
