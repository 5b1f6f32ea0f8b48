// A small structural validator for Kubernetes objects against OpenAPI v3 schemas (a document's components.schemas, or
// a CRD's openAPIV3Schema under a name of its own), strict like `kubectl apply --validate=strict`: unknown fields are
// errors. It covers what the flowcontrol and PrometheusRule schemas use ($ref, allOf, types, required, properties,
// additionalProperties, items, enum, int32/int64 ranges) and nothing more.

export interface OpenApiSchema {
  $ref?: string;
  allOf?: OpenApiSchema[];
  type?: string;
  format?: string;
  required?: string[];
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  enum?: unknown[];
  nullable?: boolean;
  "x-kubernetes-group-version-kind"?: Array<{ group: string; version: string; kind: string }>;
}

export type SchemaMap = Record<string, OpenApiSchema>;

const REF_PREFIX = "#/components/schemas/";
const RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function resolve(schemas: SchemaMap, schema: OpenApiSchema, path: string): OpenApiSchema {
  if (schema.$ref !== undefined) {
    const target = schema.$ref.startsWith(REF_PREFIX) ? schemas[schema.$ref.slice(REF_PREFIX.length)] : undefined;
    if (!target) throw new Error(`${path}: unresolvable $ref ${schema.$ref}`);
    return resolve(schemas, target, path);
  }
  // Kubernetes wraps a $ref in allOf to attach a description or default next to it.
  if (schema.allOf?.length === 1 && schema.type === undefined && schema.properties === undefined) {
    return resolve(schemas, schema.allOf[0]!, path);
  }
  return schema;
}

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

function check(schemas: SchemaMap, raw: OpenApiSchema, value: unknown, path: string, out: string[]): void {
  const schema = resolve(schemas, raw, path);
  if (schema.allOf && schema.allOf.length > 1) for (const part of schema.allOf) check(schemas, part, value, path, out);
  if (value === null) {
    if (!schema.nullable) out.push(`${path}: null is not allowed`);
    return;
  }
  const actual = typeOf(value);
  const expected = schema.type;
  const typeOk = expected === undefined || actual === expected || (expected === "number" && actual === "integer");
  if (!typeOk) {
    out.push(`${path}: expected ${expected}, got ${actual}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  const range = schema.format ? RANGES[schema.format] : undefined;
  if (range && typeof value === "number" && (value < range[0] || value > range[1])) {
    out.push(`${path}: ${value} is out of ${schema.format} range`);
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => check(schemas, schema.items!, item, `${path}[${i}]`, out));
    return;
  }
  if (actual !== "object") return;
  const obj = value as Record<string, unknown>;
  for (const key of schema.required ?? []) if (!(key in obj)) out.push(`${path}: missing required field ${key}`);
  for (const [key, v] of Object.entries(obj)) {
    const at = path === "" ? key : `${path}.${key}`;
    const prop = schema.properties?.[key];
    if (prop) check(schemas, prop, v, at, out);
    else if (typeof schema.additionalProperties === "object") check(schemas, schema.additionalProperties, v, at, out);
    else if (schema.additionalProperties !== true && (schema.properties || schema.additionalProperties === false)) {
      out.push(`${at}: unknown field`);
    }
  }
}

/** Problems of `value` against components.schemas[name] (empty when valid), one line each with the field path. */
export function validateAgainstSchema(schemas: SchemaMap, name: string, value: unknown): string[] {
  const root = schemas[name];
  if (!root) throw new Error(`no schema ${name}`);
  const out: string[] = [];
  check(schemas, root, value, "", out);
  // Top-level kinds carry their group, version and kind; apiVersion and kind must name one of them.
  const gvks = root["x-kubernetes-group-version-kind"];
  if (gvks && typeof value === "object" && value !== null) {
    const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
    const known = gvks.some((g) => kind === g.kind && apiVersion === (g.group === "" ? g.version : `${g.group}/${g.version}`));
    if (!known) out.push(`apiVersion/kind: ${String(apiVersion)} ${String(kind)} is not ${name}`);
  }
  return out;
}
