// fmt: Sprint, Sprintf and strconv.Quote

import { NoPreview } from "./errors";
import { formatFloat } from "./float";
import { type Val, typeName } from "./values";

export const isPrintRune = (ch: string) => ch === " " || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
export const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** strconv.Quote (or QuoteRune with quote "'"). */
export function goQuote(s: string, quote = '"'): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (isPrintRune(ch)) out += ch;
    else {
      const named: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
      if (named[ch]) out += named[ch];
      else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex2(cp);
      else if (cp >= 0xd800 && cp < 0xe000) out += "\\ufffd";
      else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
      else out += "\\U" + cp.toString(16).padStart(8, "0");
    }
  }
  return out + quote;
}

/** Go's time.Time.String() for UTC. */
export function timeString(ms: bigint): string {
  const date = new Date(Number(ms));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const frac = ((ms % 1000n) + 1000n) % 1000n;
  const fracText = frac === 0n ? "" : "." + String(frac).padStart(3, "0").replace(/0+$/, "");
  return `${p(date.getUTCFullYear(), 4)}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}${fracText} +0000 UTC`;
}

/** %v */
export function formatValue(v: Val): string {
  switch (v.k) {
    case "nil":
      return "<nil>";
    case "bool":
      return String(v.v);
    case "int":
      return v.v.toString();
    case "float":
      return formatFloat(v.v, "g", -1);
    case "string":
      return v.v;
    case "map":
      return `map[${Object.keys(v.v)
        .sort(compareGo)
        .map((k) => `${k}:${v.v[k]}`)
        .join(" ")}]`;
    case "data":
      throw new NoPreview("printing the whole alert data cannot be previewed");
    case "time":
      return timeString(v.ms);
  }
}

/** Go orders strings by their UTF-8 bytes; code point order is the same. */
export function compareGo(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: Val[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && a.k !== "string" && args[i - 1]!.k !== "string") out += " ";
    out += formatValue(a);
  });
  return out;
}

export function sprintln(args: Val[]): string {
  return args.map(formatValue).join(" ") + "\n";
}

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width: number | null;
  prec: number | null;
}

export const runeCount = (s: string) => [...s].length;

function pad(s: string, spec: Spec, zeroOK: boolean): string {
  const w = spec.width ?? 0;
  const n = runeCount(s);
  if (n >= w) return s;
  if (spec.minus) return s + " ".repeat(w - n);
  if (spec.zero && zeroOK) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(w - n) + s.slice(sign.length);
  }
  return " ".repeat(w - n) + s;
}

function signed(body: string, spec: Spec): string {
  if (body.startsWith("-")) return body;
  if (spec.plus) return "+" + body;
  if (spec.space) return " " + body;
  return body;
}

function badVerb(verb: string, v: Val): string {
  return v.k === "nil" ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function formatInt(v: bigint, verb: string, spec: Spec): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let body: string;
  switch (verb) {
    case "d":
    case "v":
      body = a.toString();
      break;
    case "b":
      body = a.toString(2);
      break;
    case "o":
      body = (spec.sharp ? "0" : "") + a.toString(8);
      break;
    case "O":
      body = "0o" + a.toString(8);
      break;
    case "x":
      body = (spec.sharp ? "0x" : "") + a.toString(16);
      break;
    case "X":
      body = (spec.sharp ? "0X" : "") + a.toString(16).toUpperCase();
      break;
    default:
      throw new Error("unreachable");
  }
  if (spec.prec !== null) body = body.padStart(spec.prec, "0");
  return pad(signed((neg ? "-" : "") + body, spec), spec, spec.prec === null);
}

function formatFloatVerb(x: number, verb: string, spec: Spec): string {
  if (spec.sharp) throw new NoPreview("printf with the # flag on a number cannot be previewed");
  const v = verb === "v" ? "g" : verb === "F" ? "f" : (verb as "e" | "E" | "f" | "g" | "G");
  const prec = spec.prec ?? (v === "e" || v === "E" || v === "f" ? 6 : -1);
  let body = formatFloat(x, v, prec);
  if (body === "+Inf" && !spec.plus) body = spec.space ? " Inf" : "+Inf";
  else body = signed(body, spec);
  return pad(body, spec, Number.isFinite(x));
}

/** fmt.Sprintf for the verbs annotation templates use. */
export function sprintf(format: string, args: readonly Val[]): string {
  let out = "";
  let argi = 0;
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false, width: null, prec: null };
    for (;;) {
      const f = format[i];
      if (f === "-") spec.minus = true;
      else if (f === "+") spec.plus = true;
      else if (f === " ") spec.space = true;
      else if (f === "0") spec.zero = !spec.minus;
      else if (f === "#") spec.sharp = true;
      else break;
      i++;
    }
    if (format[i] === "*" || format[i] === "[") throw new NoPreview("printf with * or [n] cannot be previewed");
    const w = /^\d+/.exec(format.slice(i));
    if (w) {
      spec.width = Number(w[0]);
      i += w[0].length;
    }
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") throw new NoPreview("printf with * cannot be previewed");
      const p = /^\d+/.exec(format.slice(i));
      spec.prec = p ? Number(p[0]) : 0;
      if (p) i += p[0].length;
    }
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argi++]!, verb, spec);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => (a.k === "nil" ? "<nil>" : `${typeName(a)}=${formatValue(a)}`))
      .join(", ")})`;
  }
  return out;
}

function formatArg(a: Val, verb: string, spec: Spec): string {
  switch (a.k) {
    case "nil":
      return verb === "v" ? pad("<nil>", spec, false) : badVerb(verb, a);
    case "bool":
      return verb === "v" || verb === "t" ? pad(String(a.v), spec, false) : badVerb(verb, a);
    case "int":
      if ("dvboOxX".includes(verb)) return formatInt(a.v, verb, spec);
      if (verb === "c") return pad(String.fromCodePoint(Number(a.v)), spec, false);
      if (verb === "q") return pad(goQuote(String.fromCodePoint(Number(a.v)), "'"), spec, false);
      if (verb === "U") return pad("U+" + a.v.toString(16).toUpperCase().padStart(4, "0"), spec, false);
      return badVerb(verb, a);
    case "float":
      if ("veEfFgG".includes(verb)) return formatFloatVerb(a.v, verb, spec);
      if (verb === "x" || verb === "X" || verb === "b") throw new NoPreview(`printf %${verb} of a number cannot be previewed`);
      return badVerb(verb, a);
    case "string": {
      const s = spec.prec === null ? a.v : [...a.v].slice(0, spec.prec).join("");
      if (verb === "v" || verb === "s") return pad(s, spec, false);
      if (verb === "q") {
        if (spec.sharp && !s.includes("`") && [...s].every((ch) => ch === "\t" || (isPrintRune(ch) && ch !== "\ufeff"))) return pad("`" + s + "`", spec, false);
        return pad(goQuote(s), spec, false);
      }
      if (verb === "x" || verb === "X") {
        const h = [...new TextEncoder().encode(s)].map(hex2).join(spec.space ? " " : "");
        return pad(verb === "X" ? h.toUpperCase() : h, spec, false);
      }
      return badVerb(verb, a);
    }
    case "map":
    case "time":
      if (verb === "v" || verb === "s") return pad(formatValue(a), spec, false);
      throw new NoPreview(`printf %${verb} of a ${typeName(a)} cannot be previewed`);
    case "data":
      throw new NoPreview("printing the whole alert data cannot be previewed");
  }
}
