// Seeded generators of hostile audit input: random JSON values, random bytes, and mutations of a valid event line
// whose outcome in the store is known where it can be (a truncated line is never valid JSON) and "any" where it
// cannot (a flipped character may land anywhere).
import type { SkipReason } from "@/lib/audit/reasons";

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
export type Rng = ReturnType<typeof rng>;

const KEYS = ["kind", "apiVersion", "auditID", "stage", "verb", "user", "objectRef", "responseStatus", "stageTimestamp", "items", "records", "properties", "log", "protoPayload", "code", "x"];

export function randomJson(r: Rng, depth = 0): unknown {
  const kind = r.int(0, depth > 4 ? 3 : 6);
  if (kind === 0) return null;
  if (kind === 1) return r.next() < 0.5;
  if (kind === 2) return r.pick([0, -1, 2.5, 200, 2 ** 40, 1e308]);
  if (kind === 3) return r.pick(["", "x", "ResponseComplete", "audit.k8s.io/v1", "2024-12-11T15:04:05Z", "{", "\u0000\uFEFF"]);
  if (kind === 4) return Array.from({ length: r.int(0, 4) }, () => randomJson(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(0, 6) }, () => [r.pick(KEYS), randomJson(r, depth + 1)]));
}

/** Up to 300 random bytes read as UTF-8 (invalid sequences become U+FFFD), newlines included. */
export function randomBytes(r: Rng): string {
  return Buffer.from(Array.from({ length: r.int(0, 300) }, () => r.int(0, 255))).toString("utf8");
}

/** What the store must do with a mutated line: accept it, skip it for a reason, or anything but throw. */
export type Expected = "accepted" | SkipReason | "any";

export interface Mutation {
  text: string;
  expected: Expected;
}

const nest = (inner: string, open: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);

/** A mutation of `event`'s JSON line; the result is always a single line. */
export function mutate(r: Rng, event: Record<string, unknown>): Mutation {
  const line = JSON.stringify(event);
  const at = () => r.int(1, line.length - 1);
  const fields = Object.keys(event);
  // A line over 1 MB is read piece by piece, not refused.
  if (r.next() < 0.002) return { text: JSON.stringify({ ...event, requestObject: { padding: "x".repeat(1_100_000) } }), expected: "accepted" };
  switch (r.int(0, 8)) {
    case 0:
      return { text: line.slice(0, at()), expected: "invalid_json" }; // truncated
    case 1: {
      const chars = [...line];
      for (let i = r.int(1, 5); i > 0; i--) chars[r.int(0, chars.length - 1)] = String.fromCharCode(r.int(0x20, 0xffff));
      return { text: chars.join(""), expected: "any" }; // flipped characters (never a newline)
    }
    case 2: {
      const i = at();
      return { text: line.slice(0, i) + r.pick(['"', "{", "}", "[", "]", ",", ":", "\\", '"}', '{"']) + line.slice(i), expected: "any" }; // stray syntax
    }
    case 3:
      return { text: JSON.stringify({ ...event, [r.pick(fields)]: "x".repeat(r.pick([1000, 20_000])) }), expected: "any" }; // long strings
    case 4: {
      const depth = r.pick([10, 1000, 20_000]);
      return { text: nest(line, "[", "]", depth), expected: depth <= 16 ? "accepted" : "unsupported_format" }; // arrays around an event
    }
    case 5: {
      const depth = r.pick([10, 1000, 20_000]);
      return { text: nest(line, '{"records":[', "]}", depth), expected: depth <= 16 ? "accepted" : "unsupported_format" }; // envelopes in envelopes
    }
    case 6: {
      const depth = r.pick([10, 1000, 20_000]);
      const text = JSON.stringify({ ...event, annotations: "@" }).replace('"annotations":"@"', `"annotations":{"deep":${nest("1", "[", "]", depth)}}`);
      return { text, expected: depth <= 30 ? "accepted" : "wrong_type" }; // deeply nested annotations
    }
    case 7: {
      const broken = r.next() < 0.5;
      return { text: JSON.stringify({ category: "kube-audit", properties: { log: broken ? line.slice(0, at()) : line } }), expected: broken ? "invalid_json" : "accepted" }; // AKS envelope
    }
    default:
      return { text: JSON.stringify({ ...event, [r.pick(fields)]: randomJson(r) }), expected: "any" }; // a field of a random type
  }
}
