// Turning raw input into audit events: JSON lines, EventLists, JSON arrays, single pretty-printed events, and
// managed-cloud envelopes (AKS diagnostic records whose properties.log is a JSON string or an object).
// Pure functions: they never throw on bad input, they report why it was skipped.
import { checkEvent } from "./fields";
import type { Skip } from "./reasons";

export const MAX_LINE_BYTES = 1 << 20;
export const AUDIT_API_VERSIONS = ["audit.k8s.io/v1", "audit.k8s.io/v1beta1"];

export type Decoded = { event: Record<string, unknown>; line?: number } | { skip: Skip };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const short = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Arrays and envelopes nested deeper than this are not audit input. Expanding is recursive, and hostile input
 * nests thousands of levels within 1 MB: without a limit, the call stack overflows and decoding throws.
 */
export const MAX_NESTING = 16;

/** Expands one parsed JSON value into the audit events it holds. */
export function* expandValue(value: unknown, line: number | undefined, inheritedApiVersion?: string, depth = 0): Generator<Decoded> {
  if (depth > MAX_NESTING) {
    yield { skip: { reason: "unsupported_format", detail: `arrays or envelopes nested more than ${MAX_NESTING} levels deep`, line } };
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) yield* expandValue(item, line, inheritedApiVersion, depth + 1);
    return;
  }
  if (!isObject(value)) {
    yield { skip: { reason: "not_an_object", detail: short(JSON.stringify(value) ?? String(value)), line } };
    return;
  }
  if (Array.isArray(value.items) && (value.kind === "EventList" || typeof value.apiVersion === "string")) {
    // Items of an EventList (the audit webhook body) carry no apiVersion of their own.
    const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : inheritedApiVersion;
    for (const item of value.items) yield* expandValue(item, line, apiVersion, depth + 1);
    return;
  }
  if (Array.isArray(value.records)) {
    for (const record of value.records) yield* expandValue(record, line, inheritedApiVersion, depth + 1);
    return;
  }
  if (isObject(value.properties) && "log" in value.properties) {
    const log = value.properties.log;
    if (typeof log === "string") {
      const parsed = parseJson(log);
      if (parsed.ok) yield* expandValue(parsed.value, line, inheritedApiVersion, depth + 1);
      else yield { skip: { reason: "invalid_json", detail: `properties.log: ${parsed.error}`, line } };
    } else {
      yield* expandValue(log, line, inheritedApiVersion, depth + 1);
    }
    return;
  }
  if ("protoPayload" in value) {
    yield { skip: { reason: "unsupported_format", detail: "GKE Cloud Audit Log record (protoPayload)", line } };
    return;
  }
  yield toEvent(value, line, inheritedApiVersion);
}

function toEvent(value: Record<string, unknown>, line: number | undefined, inheritedApiVersion?: string): Decoded {
  const checked = checkEvent(value);
  if (!checked.ok) return { skip: { reason: "wrong_type", detail: checked.field.replace(/^event\./, ""), line } };
  const event = checked.value as Record<string, unknown>;
  if (event.apiVersion === undefined && inheritedApiVersion !== undefined) event.apiVersion = inheritedApiVersion;
  return { event, line };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: short(err instanceof Error ? err.message : "invalid JSON", 80) };
  }
}

/** One line of a JSON-lines input (1-based line number). */
export function* decodeLine(text: string, line: number): Generator<Decoded> {
  if (Buffer.byteLength(text, "utf8") > MAX_LINE_BYTES) {
    yield { skip: { reason: "line_too_large", detail: `${Buffer.byteLength(text, "utf8")} bytes`, line } };
    return;
  }
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // UTF-8 BOM
  if (trimmed.trim() === "") return;
  const parsed = parseJson(trimmed);
  if (!parsed.ok) {
    yield { skip: { reason: "invalid_json", detail: parsed.error, line } };
    return;
  }
  yield* expandValue(parsed.value, line);
}

/** A whole JSON document (a pretty-printed event, an EventList, an AKS export). */
export function* decodeDocument(text: string): Generator<Decoded> {
  const parsed = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!parsed.ok) {
    yield { skip: { reason: "invalid_json", detail: parsed.error, line: 1 } };
    return;
  }
  yield* expandValue(parsed.value, undefined);
}
