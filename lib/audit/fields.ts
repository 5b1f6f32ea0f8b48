// The audit Event fields apiscope reads, with their JSON types. One definition drives both readers: DuckDB's
// typed JSON reader (fast path) and the TypeScript checker that cleans odd input for it (robust path).
// Fields not listed are never parsed into columns, which keeps ingest fast.

type Scalar = "string" | "integer";
/** "json": kept as JSON text and only looked into when needed (annotations). */
export type FieldType = Scalar | "string[]" | "json" | { [field: string]: FieldType };

export const EVENT_FIELDS = {
  apiVersion: "string",
  auditID: "string",
  stage: "string",
  requestURI: "string",
  verb: "string",
  userAgent: "string",
  requestReceivedTimestamp: "string",
  stageTimestamp: "string",
  /** audit.k8s.io/v1beta1 only. */
  timestamp: "string",
  user: { username: "string", groups: "string[]" },
  sourceIPs: "string[]",
  objectRef: { resource: "string", namespace: "string", name: "string", apiGroup: "string", apiVersion: "string", subresource: "string" },
  responseStatus: { code: "integer" },
  annotations: "json",
} as const satisfies Record<string, FieldType>;

function duckType(t: FieldType): string {
  if (t === "string") return "VARCHAR";
  if (t === "integer") return "INTEGER";
  if (t === "string[]") return "VARCHAR[]";
  if (t === "json") return "JSON";
  return `STRUCT(${Object.entries(t).map(([k, v]) => `"${k}" ${duckType(v)}`).join(", ")})`;
}

/** The DuckDB type of one audit event (a STRUCT of the fields above). */
export function duckdbEventType(): string {
  return duckType(EVENT_FIELDS);
}

/** The `columns={…}` argument for DuckDB's read_json. */
export function duckdbColumns(extra: Record<string, string> = {}): string {
  const cols = Object.entries(EVENT_FIELDS).map(([k, v]) => `"${k}": '${duckType(v)}'`);
  for (const [k, v] of Object.entries(extra)) cols.push(`"${k}": '${v}'`);
  return `{${cols.join(", ")}}`;
}

/** Scalars DuckDB would cast to text anyway; kept as text so both readers agree. */
const asText = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

/**
 * JSON kept as is (annotations, a map of strings) is written out again with JSON.stringify, which is recursive:
 * a value nested thousands of levels deep would overflow the call stack, so anything deeper than this is refused.
 */
const MAX_JSON_DEPTH = 32;

/** Whether a JSON value nests deeper than `max` levels, found without recursion. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export type Checked = { ok: true; value: unknown } | { ok: false; field: string };

/**
 * Checks a value against a field type and returns the cleaned value (only known fields, scalars as text), or the
 * path of the first field with the wrong JSON type. null counts as absent.
 */
export function checkField(value: unknown, type: FieldType, at: string): Checked {
  if (value === null || value === undefined) return { ok: true, value: undefined };
  if (type === "string") {
    const text = asText(value);
    return text === undefined ? { ok: false, field: at } : { ok: true, value: text };
  }
  if (type === "integer") {
    const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    return typeof n === "number" && Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? { ok: true, value: n } : { ok: false, field: at };
  }
  if (type === "string[]") {
    if (!Array.isArray(value)) return { ok: false, field: at };
    const out: string[] = [];
    for (const item of value) {
      const text = asText(item);
      if (text === undefined) return { ok: false, field: at };
      out.push(text);
    }
    return { ok: true, value: out };
  }
  if (typeof value !== "object" || Array.isArray(value)) return { ok: false, field: at };
  if (type === "json") return nestedDeeperThan(value, MAX_JSON_DEPTH) ? { ok: false, field: at } : { ok: true, value };
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(type)) {
    const checked = checkField((value as Record<string, unknown>)[k], sub, `${at}.${k}`);
    if (!checked.ok) return checked;
    if (checked.value !== undefined) out[k] = checked.value;
  }
  return { ok: true, value: out };
}

/** An audit event reduced to the fields apiscope reads, or the first field with a wrong type. */
export function checkEvent(event: Record<string, unknown>): Checked {
  return checkField(event, EVENT_FIELDS, "event");
}
