// Reading JSON text piece by piece: the same events and skips as decoding the whole document, whatever the chunk
// boundaries, with the line each piece starts on; text that is not JSON is refused before anything is handed out.
import { describe, expect, it } from "vitest";
import { mutate, randomJson, rng } from "@/test/support/audit-fuzz";
import { decodeDocument, decodePiece, type Decoded, type Piece } from "../decode";
import { readJsonPieces } from "./json-stream";

const EVENT = {
  auditID: "a-1",
  stage: "ResponseComplete",
  requestURI: "/api/v1/pods",
  verb: "list",
  userAgent: "kubectl/v1.31.0",
  objectRef: { resource: "pods", apiVersion: "v1" },
  responseStatus: { code: 200 },
  stageTimestamp: "2024-12-11T15:04:05.100001Z",
};
const item = (n: number) => ({ ...EVENT, auditID: `a-${n}` });

/** The text cut into chunks of `size` bytes. */
const chunks = (text: string, size: number) => {
  const buf = Buffer.from(text);
  return Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size));
};

async function pieces(text: string, size = 65536, firstLine = 1): Promise<{ pieces: Piece[]; error: unknown }> {
  const out: Piece[] = [];
  const { error } = await readJsonPieces(() => chunks(text, size), firstLine, (p) => out.push(p));
  return { pieces: out, error };
}

async function decoded(text: string, size = 65536): Promise<Decoded[]> {
  const { pieces: ps, error } = await pieces(text, size);
  expect(error).toBeNull();
  return ps.flatMap((p) => [...decodePiece(p)]);
}

/** What is decoded, without line numbers (a whole document has none). */
const shape = (ds: Decoded[]) => ds.map((d) => ("event" in d ? { event: d.event } : { reason: d.skip.reason }));

describe("reading JSON text piece by piece", () => {
  it("cuts a compact EventList into its items, which inherit its apiVersion wherever it is written", async () => {
    for (const list of [
      { kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items: [item(1), item(2)] },
      { items: [item(1), item(2)], kind: "EventList", apiVersion: "audit.k8s.io/v1" }, // keys in another order
      { apiVersion: "audit.k8s.io/v1", items: [item(1), item(2)] },
    ]) {
      const { pieces: ps } = await pieces(JSON.stringify(list), 7);
      expect(ps.map((p) => p.kind)).toEqual(["element", "element"]);
      expect(ps.map((p) => p.kind === "element" && p.apiVersion)).toEqual(["audit.k8s.io/v1", "audit.k8s.io/v1"]);
      expect(shape(await decoded(JSON.stringify(list), 5))).toEqual(shape([...decodeDocument(JSON.stringify(list))]));
    }
  });

  it("gives each piece the line it starts on, in pretty-printed text and in values one after another", async () => {
    const pretty = JSON.stringify({ kind: "EventList", apiVersion: "audit.k8s.io/v1", items: [item(1), item(2)] }, null, 2);
    const text = `\uFEFF${pretty}\n${JSON.stringify(item(3))}\n\n${JSON.stringify(item(4), null, 1)}\n`;
    const { pieces: ps } = await pieces(text, 3, 10);
    expect(ps.map((p) => p.kind)).toEqual(["element", "element", "value", "value"]);
    const lineOf = (piece: string) => 10 + text.slice(0, text.indexOf(piece)).split("\n").length - 1;
    expect(ps.map((p) => p.line)).toEqual(ps.map((p) => ("text" in p ? lineOf(p.text) : -1)));
    expect(ps[0]!.line).toBe(14); // "items": [ on line 4 of the text, its first item on line 5
  });

  it("says which lists were empty, and reads AKS exports, arrays and lone values", async () => {
    const { pieces: ps } = await pieces('[] {"kind":"EventList","items":[]} {"records":[]} {"records":[{"properties":{"log":"{}"}}]} 42 "x" {"auditID":"y"}');
    expect(ps.map((p) => (p.kind === "empty" ? `empty ${p.detail}` : p.kind))).toEqual(["empty []", "empty items: []", "empty records: []", "element", "value", "value", "value"]);
  });

  it("decodes any JSON value as the whole document would be decoded, whatever the chunk size", async () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const value = i % 3 === 0 ? { kind: "EventList", apiVersion: "audit.k8s.io/v1", items: [item(i), randomJson(r), item(i + 1)] } : i % 3 === 1 ? [randomJson(r), item(i)] : randomJson(r);
      const text = JSON.stringify(value, null, i % 2 ? 2 : undefined);
      expect(shape(await decoded(text, 1 + (i % 11))), text).toEqual(shape([...decodeDocument(text)]));
    }
  });

  it("refuses text that is not JSON before handing out any piece", async () => {
    const line = JSON.stringify(item(1));
    for (const bad of ['["a\\c"]', '["\\u12x4"]', line.slice(0, 40), `${line.slice(0, 40)}\n${line}`, `${line}\nI1211 15:04:05 not an event`, "[1, 2,]", '{"a" 1}', "{}}", "[nul]", '["a\tb"]', `${line},${line}`]) {
      const { pieces: ps, error } = await pieces(bad, 4);
      expect(error, bad).toMatchObject({ reason: "invalid_json" });
      expect(ps).toEqual([]);
    }
    const r = rng(3);
    for (let i = 0; i < 500; i++) {
      const text = mutate(r, item(i)).text;
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      const { error } = await pieces(text, 1 + (i % 13));
      if (!valid) expect(error, text).not.toBeNull();
    }
  });

  it("refuses nesting it cannot follow", async () => {
    const { error } = await pieces("[".repeat(20_000) + "]".repeat(20_000));
    expect(error).toMatchObject({ reason: "unsupported_format" });
  });
});
