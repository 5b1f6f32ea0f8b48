// Turning raw input into audit events: JSON lines, EventLists, JSON arrays, single pretty-printed events, and
// managed-cloud envelopes (AKS diagnostic records whose properties.log is a JSON string or an object).
// Pure functions: they never throw on bad input, they report why it was skipped.
import { checkEvent } from "./fields";
import type { Skip } from "./reasons";

export const MAX_LINE_BYTES = 1 << 20;

export type Decoded = { event: Record<string, unknown>; line?: number } | { skip: Skip };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const short = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Arrays and envelopes nested deeper than this are not audit input. Expanding is recursive, and hostile input
 * nests thousands of levels within 1 MB: without a limit, the call stack overflows and decoding throws.
 */
export const MAX_NESTING = 16;

/** Which list an object holds its events in: an EventList's `items`, or an AKS export's `records`; null for neither. */
export type Envelope = { array: "items"; apiVersion?: string } | { array: "records" } | null;

/** Decides what an object is from its envelope members (also used on objects read piece by piece, json-stream.ts). */
export function envelopeOf(value: { kind?: unknown; apiVersion?: unknown; items?: unknown; records?: unknown }): Envelope {
  if (Array.isArray(value.items) && (value.kind === "EventList" || typeof value.apiVersion === "string")) {
    // Items of an EventList (the audit webhook body) carry no apiVersion of their own.
    return typeof value.apiVersion === "string" ? { array: "items", apiVersion: value.apiVersion } : { array: "items" };
  }
  return Array.isArray(value.records) ? { array: "records" } : null;
}

/** A list without elements is input too: counted, so that every line of input ends up stored or counted. */
const emptyList = (detail: string, line: number | undefined): Decoded => ({ skip: { reason: "empty_list", detail, line } });

/** Expands one parsed JSON value into the audit events it holds. */
export function* expandValue(value: unknown, line: number | undefined, inheritedApiVersion?: string, depth = 0): Generator<Decoded> {
  if (depth > MAX_NESTING) {
    yield { skip: { reason: "unsupported_format", detail: `arrays or envelopes nested more than ${MAX_NESTING} levels deep`, line } };
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) yield emptyList("[]", line);
    for (const item of value) yield* expandValue(item, line, inheritedApiVersion, depth + 1);
    return;
  }
  if (!isObject(value)) {
    yield { skip: { reason: "not_an_object", detail: short(JSON.stringify(value) ?? String(value)), line } };
    return;
  }
  const envelope = envelopeOf(value);
  if (envelope) {
    const list = value[envelope.array] as unknown[];
    const apiVersion = envelope.array === "items" ? (envelope.apiVersion ?? inheritedApiVersion) : inheritedApiVersion;
    if (list.length === 0) yield emptyList(`${envelope.array}: []`, line);
    for (const item of list) yield* expandValue(item, line, apiVersion, depth + 1);
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

/**
 * A piece of a JSON text read piece by piece (json-stream.ts): a whole top-level value, an element of a top-level
 * list (an array, an EventList's items, an AKS export's records), or such a list without elements.
 */
export type Piece =
  | { kind: "value"; text: string; line: number }
  | { kind: "element"; text: string; line: number; apiVersion?: string }
  | { kind: "empty"; detail: string; line: number }
  | { kind: "too_large"; bytes: number; line: number };

/** The events of one piece, decoded exactly as the same value inside a whole document would be. */
export function* decodePiece(p: Piece): Generator<Decoded> {
  if (p.kind === "empty") {
    yield emptyList(p.detail, p.line);
  } else if (p.kind === "too_large") {
    yield { skip: { reason: "document_too_large", detail: `a JSON value of ${p.bytes} bytes`, line: p.line } };
  } else {
    const parsed = parseJson(p.text);
    if (!parsed.ok) yield { skip: { reason: "invalid_json", detail: parsed.error, line: p.line } };
    // An element sits one level down, inside its list: nesting is counted from the top as expandValue counts it.
    else if (p.kind === "element") yield* expandValue(parsed.value, p.line, p.apiVersion, 1);
    else yield* expandValue(parsed.value, p.line);
  }
}

/**
 * One line of a JSON-lines input (1-based line number). Lines over MAX_LINE_BYTES are refused here: the caller
 * (clean.ts) reads them piece by piece instead of holding them whole.
 */
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
