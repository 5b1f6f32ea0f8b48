// Prometheus' functions over strings: case, regular expressions, host and port, durations and escaping.

import { ExecError, NoPreview } from "./errors";
import { goQuote, hex2, isPrintRune, runeCount } from "./fmt";

const TITLE_DIGRAPHS: Record<string, string> = { Ǆ: "ǅ", ǅ: "ǅ", ǆ: "ǅ", Ǉ: "ǈ", ǈ: "ǈ", ǉ: "ǈ", Ǌ: "ǋ", ǋ: "ǋ", ǌ: "ǋ", Ǳ: "ǲ", ǲ: "ǲ", ǳ: "ǲ" };

/**
 * Title casing as Prometheus' `title` (x/text/cases, no lowering) does it: a cased letter after a word break is
 * title-cased. Breaks are whitespace and ASCII punctuation but `_` (an apostrophe breaks: "it's" → "It'S");
 * digits, marks and other punctuation continue a word.
 */
export function title(s: string): string {
  let out = "";
  let atStart = true;
  for (const ch of s) {
    out += atStart ? (TITLE_DIGRAPHS[ch] ?? upper(ch)) : ch;
    atStart = /^[\s!-/:-@[-^`{-~]$/u.test(ch);
  }
  return out;
}

/** strings.ToUpper / ToLower map rune by rune with simple case mappings: no "ß" → "SS" expansions. */
export const upper = (s: string) => [...s].map((ch) => (runeCount(ch.toUpperCase()) === 1 ? ch.toUpperCase() : ch)).join("");
export const lower = (s: string) => [...s].map((ch) => (ch === "İ" ? "i" : runeCount(ch.toLowerCase()) === 1 ? ch.toLowerCase() : ch)).join("");

/** RE2's ASCII classes, as the inside of a JavaScript character class. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/** A Go (RE2) regular expression as a JavaScript one with the same meaning, or why not. */
export function goRegexp(pattern: string): RegExp {
  if (/\(\?[=!]|\(\?<[=!]/.test(pattern) || /\\[1-9]/.test(pattern)) {
    throw new ExecError(`error parsing regexp: invalid or unsupported Perl syntax in ${goQuote(pattern)}`);
  }
  let flags = "gu";
  let body = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1]!.includes("U")) throw new NoPreview("the regular expression's U flag cannot be previewed");
    flags += [...new Set(lead[1]!)].join("");
    body = body.slice(lead[0].length);
  }
  if (/\(\?[a-zA-Z-]+[):]/.test(body.replace(/\(\?P?</g, "")) || /\\[QEzApP]/.test(body)) {
    // Flag groups, \Q…\E, \z, \A and \p classes differ between the two syntaxes.
    throw new NoPreview("this regular expression cannot be previewed");
  }
  body = body.replace(/\(\?P</g, "(?<").replace(/\[:(\^?)([a-z]+):\]/g, (all, neg: string, name: string) => {
    const cls = POSIX_CLASSES[name];
    if (!cls) throw new ExecError(`error parsing regexp: invalid character class range: ${all}`);
    if (neg) throw new NoPreview("this regular expression cannot be previewed");
    return cls;
  });
  if (body.includes("[:")) throw new NoPreview("this regular expression cannot be previewed");
  for (const f of [flags, flags.replace("u", "")]) {
    try {
      return new RegExp(body, f);
    } catch {
      // JavaScript's Unicode mode refuses some escapes RE2 allows; try without it.
    }
  }
  throw new NoPreview("this regular expression cannot be previewed");
}

/** regexp.ReplaceAllString: `$1`, `${1}`, `$name`, `${name}` expand (a name takes every letter, digit and _). */
export function reReplaceAll(pattern: string, repl: string, text: string): string {
  const re = goRegexp(pattern);
  const expand = (m: RegExpExecArray) =>
    repl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, _x: string, braced?: string, bare?: string) => {
      if (all === "$$") return "$";
      const name = braced ?? bare!;
      if (/^\d+$/.test(name)) return m[Number(name)] ?? "";
      return m.groups?.[name] ?? "";
    });
  let out = "";
  let lastEnd = 0;
  let search = 0;
  while (search <= text.length) {
    re.lastIndex = search;
    const m = re.exec(text);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += text.slice(lastEnd, a0);
    // An empty match right after the previous match is not replaced (Go's rule).
    if (a1 > lastEnd || a0 === 0) out += expand(m);
    lastEnd = a1;
    const width = search < text.length ? String.fromCodePoint(text.codePointAt(search)!).length : 1;
    search = search + width > a1 ? search + width : a1;
  }
  return out + text.slice(lastEnd);
}

/** net.SplitHostPort; null where Go returns an error. */
export function splitHostPort(hp: string): { host: string; port: string } | null {
  if (hp.startsWith("[")) {
    const close = hp.indexOf("]");
    if (close < 0 || hp[close + 1] !== ":") return null;
    const port = hp.slice(close + 2);
    if (port.includes(":")) return null;
    return { host: hp.slice(1, close), port };
  }
  const i = hp.lastIndexOf(":");
  if (i < 0) return null;
  const host = hp.slice(0, i);
  if (host.includes(":") || host.includes("[") || host.includes("]")) return null;
  return { host, port: hp.slice(i + 1) };
}

const isIPv4 = (s: string) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s);
function isIP(s: string): boolean {
  if (isIPv4(s)) return true;
  if (!s.includes(":") || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const parts = s.split("::");
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p === "" ? [] : p.split(":")));
  const last = groups.at(-1);
  const v4 = last?.includes(".") ?? false;
  if (v4 && !isIPv4(last!)) return false;
  const hexGroups = v4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const n = hexGroups.length + (v4 ? 2 : 0);
  return parts.length === 2 ? n < 8 : n === 8;
}

const joinHostPort = (host: string, port: string) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

export function stripDomain(hp: string): string {
  const split = splitHostPort(hp);
  const host = split ? split.host : hp;
  const port = split ? split.port : "";
  if (isIP(host)) return hp;
  const first = host.split(".")[0]!;
  return port !== "" ? joinHostPort(first, port) : first;
}

/** model.ParseDuration in seconds. */
export function parseDuration(d: string): number {
  if (d === "0") return 0;
  if (d === "") throw new ExecError("empty duration string");
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(d);
  if (!m) throw new ExecError(`not a valid duration string: ${goQuote(d)}`);
  const unitsMs = [31536000000n, 604800000n, 86400000n, 3600000n, 60000n, 1000n, 1n];
  let ms = 0n;
  unitsMs.forEach((u, i) => {
    if (m[i + 1] !== undefined) ms += BigInt(m[i + 1]!) * u;
  });
  if (ms * 1_000_000n > 9223372036854775807n) throw new ExecError("duration out of range");
  return Number(ms * 1_000_000n) / 1e9;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + hex2(b).toUpperCase();
  }
  return out;
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ "\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const named: Record<string, string> = { "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D" };
    if (named[ch]) out += named[ch];
    else if (cp < 0x20) out += "\\u00" + hex2(cp).toUpperCase();
    else if (cp < 0x80 || isPrintRune(ch)) out += ch;
    else out += "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}
