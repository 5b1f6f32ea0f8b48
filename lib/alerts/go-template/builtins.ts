// What Exec.call applies to evaluated arguments: Go's builtins over values (len, index, slice, comparisons), the
// printing html, js and urlquery share, and pathPrefix's path of a URL.

import { ExecError } from "./errors";
import { compareGo, sprint } from "./fmt";
import { str, typeName, type Val } from "./values";

export function urlPath(url: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url);
  return m ? decodeURIComponent(m[1]!) : "";
}

/** html, js and urlquery take one string as is, anything else through fmt.Sprint. */
export function evalArgs(args: Val[]): string {
  if (args.length === 1 && args[0]!.k === "string") return args[0]!.v;
  return sprint(args);
}

export function length(v: Val): number {
  if (v.k === "string") return new TextEncoder().encode(v.v).length;
  if (v.k === "map") return Object.keys(v.v).length;
  throw new ExecError(`error calling len: len of type ${typeName(v)}`);
}

export function index(item: Val, idx: Val[]): Val {
  let v = item;
  for (const i of idx) {
    if (v.k === "map") {
      if (i.k !== "string") throw new ExecError(`error calling index: value has type ${typeName(i)}; should be string`);
      v = str(Object.hasOwn(v.v, i.v) ? v.v[i.v]! : "");
    } else if (v.k === "string") {
      if (i.k !== "int") throw new ExecError(`error calling index: cannot index slice/array with type ${typeName(i)}`);
      const bytes = new TextEncoder().encode(v.v);
      if (i.v < 0n || i.v >= BigInt(bytes.length)) throw new ExecError(`error calling index: index out of range: ${i.v}`);
      v = { k: "int", v: BigInt(bytes[Number(i.v)]!), type: "uint8" };
    } else if (v.k === "nil") {
      throw new ExecError("error calling index: index of untyped nil");
    } else {
      throw new ExecError(`error calling index: can't index item of type ${typeName(v)}`);
    }
  }
  return v;
}

export function sliceOf(item: Val, idx: Val[]): Val {
  if (item.k !== "string") throw new ExecError(`error calling slice: can't slice item of type ${typeName(item)}`);
  if (idx.length > 2) throw new ExecError("error calling slice: cannot 3-index slice a string");
  const bytes = new TextEncoder().encode(item.v);
  const n = idx.map((i) => {
    if (i.k !== "int") throw new ExecError(`error calling slice: cannot index slice/array with type ${typeName(i)}`);
    return Number(i.v);
  });
  const from = n[0] ?? 0;
  const to = n[1] ?? bytes.length;
  if (from < 0 || to > bytes.length || from > to) throw new ExecError(`error calling slice: index out of range: ${to > bytes.length ? to : from}`);
  return str(new TextDecoder().decode(bytes.slice(from, to)));
}

function basicKind(v: Val): "bool" | "int" | "float" | "string" | null {
  return v.k === "bool" || v.k === "int" || v.k === "float" || v.k === "string" ? v.k : null;
}

export function equal(a: Val, b: Val, fn: string): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) {
    if (a.k === "nil" || b.k === "nil") return a.k === b.k;
    throw new ExecError(`error calling ${fn}: incompatible types for comparison`);
  }
  if (ka === null) {
    if (a.k === "nil" && b.k === "nil") return true;
    throw new ExecError(`error calling ${fn}: non-comparable type ${typeName(a)}`);
  }
  return (a as { v: unknown }).v === (b as { v: unknown }).v;
}

export function less(a: Val, b: Val, fn: string): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === null || ka === "bool" || kb === null || kb === "bool") throw new ExecError(`error calling ${fn}: invalid type for comparison`);
  if (ka !== kb) throw new ExecError(`error calling ${fn}: incompatible types for comparison`);
  if (ka === "string") return compareGo((a as { v: string }).v, (b as { v: string }).v) < 0;
  return (a as { v: number | bigint }).v < (b as { v: number | bigint }).v;
}
