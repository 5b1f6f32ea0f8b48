// Lexer (text/template/parse/lex.go)

import { fail } from "./errors";

type TokKind =
  | "text"
  | "left"
  | "right"
  | "space"
  | "ident"
  | "keyword"
  | "field"
  | "var"
  | "dot"
  | "bool"
  | "nil"
  | "number"
  | "string"
  | "char"
  | "pipe"
  | "lparen"
  | "rparen"
  | "assign"
  | "declare"
  | "other"
  | "eof";

export interface Token {
  kind: TokKind;
  /** The token's text; for strings and chars the decoded value is in `value`. */
  text: string;
  pos: number;
  value?: string;
}

const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]);
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlnum = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= src.length) {
    const open = src.indexOf("{{", pos);
    let text = src.slice(pos, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, "");
    trimNext = false;
    if (open < 0) {
      if (text) out.push({ kind: "text", text, pos });
      break;
    }
    const leftTrim = src[open + 2] === "-" && isSpace(src[open + 3]);
    if (leftTrim) text = text.replace(/[ \t\r\n]+$/, "");
    if (text) out.push({ kind: "text", text, pos });
    let p = open + 2 + (leftTrim ? 2 : 0);
    if (src.startsWith("/*", p)) {
      const close = src.indexOf("*/", p + 2);
      if (close < 0) fail("unclosed comment", open);
      p = close + 2;
      if (isSpace(src[p]) && src[p + 1] === "-" && src.startsWith("}}", p + 2)) {
        trimNext = true;
        pos = p + 4;
      } else if (src.startsWith("}}", p)) pos = p + 2;
      else fail("a comment must end right before }}", close);
      continue;
    }
    out.push({ kind: "left", text: "{{", pos: open });
    ({ pos, trim: trimNext } = lexAction(src, p, open, out));
  }
  out.push({ kind: "eof", text: "", pos: src.length });
  return out;
}

/** Lexes one action from `p` (after `{{`) through its `}}`; returns where the text after it starts. */
function lexAction(src: string, p: number, open: number, out: Token[]): { pos: number; trim: boolean } {
  let depth = 0;
  const atTerminator = (i: number) => {
    const c = src[i];
    return c === undefined || isSpace(c) || ".,|:()".includes(c) || c === "}";
  };
  for (;;) {
    const rightTrim = isSpace(src[p]) && src[p + 1] === "-" && src.startsWith("}}", p + 2);
    if (rightTrim || src.startsWith("}}", p)) {
      if (depth > 0) fail("unclosed left parenthesis", p);
      const at = rightTrim ? p + 2 : p;
      out.push({ kind: "right", text: "}}", pos: at });
      return { pos: at + 2, trim: rightTrim };
    }
    const c = src[p];
    const start = p;
    if (c === undefined) fail("unclosed action: missing }}", open);
    if (isSpace(c)) {
      while (isSpace(src[p])) p++;
      // A run of spaces ending in " -}}" leaves its last space to the trim-marked delimiter.
      if (src[p] === "-" && src.startsWith("}}", p + 1)) p--;
      if (p > start) out.push({ kind: "space", text: src.slice(start, p), pos: start });
      continue;
    }
    if (c === "=") {
      out.push({ kind: "assign", text: "=", pos: p++ });
    } else if (c === ":") {
      if (src[p + 1] !== "=") fail("expected :=", p);
      out.push({ kind: "declare", text: ":=", pos: p });
      p += 2;
    } else if (c === "|") {
      out.push({ kind: "pipe", text: "|", pos: p++ });
    } else if (c === '"') {
      p++;
      for (;;) {
        const d = src[p];
        if (d === undefined || d === "\n") fail("unterminated quoted string", start);
        if (d === "\\") p += 2;
        else if (d === '"') break;
        else p++;
      }
      p++;
      const raw = src.slice(start, p);
      out.push({ kind: "string", text: raw, pos: start, value: unquoteGo(raw, start) });
    } else if (c === "`") {
      const close = src.indexOf("`", p + 1);
      if (close < 0) fail("unterminated raw quoted string", start);
      p = close + 1;
      out.push({ kind: "string", text: src.slice(start, p), pos: start, value: src.slice(start + 1, close).replace(/\r/g, "") });
    } else if (c === "'") {
      p++;
      for (;;) {
        const d = src[p];
        if (d === undefined || d === "\n") fail("unterminated character constant", start);
        if (d === "\\") p += 2;
        else if (d === "'") break;
        else p++;
      }
      p++;
      const raw = src.slice(start, p);
      out.push({ kind: "char", text: raw, pos: start, value: unquoteGo(raw, start) });
    } else if (c === "$") {
      p++;
      while (isAlnum(src[p])) p++;
      if (!atTerminator(p)) fail(`bad character ${JSON.stringify(src[p])} after ${src.slice(start, p)}`, p);
      out.push({ kind: "var", text: src.slice(start, p), pos: start });
    } else if (c === "." && !(src[p + 1]! >= "0" && src[p + 1]! <= "9")) {
      p++;
      if (atTerminator(p)) {
        out.push({ kind: "dot", text: ".", pos: start });
      } else {
        while (isAlnum(src[p])) p++;
        if (p === start + 1 || !atTerminator(p)) fail(`bad character ${JSON.stringify(src[p])} in field name`, p);
        out.push({ kind: "field", text: src.slice(start, p), pos: start });
      }
    } else if (c === "+" || c === "-" || c === "." || (c >= "0" && c <= "9")) {
      p = scanNumber(src, p);
      if (src[p] === "+" || src[p] === "-") fail(`bad number syntax: ${JSON.stringify(src.slice(start, p + 1))}`, start);
      out.push({ kind: "number", text: src.slice(start, p), pos: start });
    } else if (isAlnum(c)) {
      while (isAlnum(src[p])) p++;
      const word = src.slice(start, p);
      if (!atTerminator(p)) fail(`bad character ${JSON.stringify(src[p])} after ${word}`, p);
      const kind: TokKind = KEYWORDS.has(word) ? "keyword" : word === "true" || word === "false" ? "bool" : word === "nil" ? "nil" : "ident";
      out.push({ kind, text: word, pos: start });
    } else if (c === "(") {
      depth++;
      out.push({ kind: "lparen", text: "(", pos: p++ });
    } else if (c === ")") {
      if (--depth < 0) fail("unexpected right parenthesis", p);
      out.push({ kind: "rparen", text: ")", pos: p++ });
    } else if (c >= " " && c <= "~") {
      out.push({ kind: "other", text: c, pos: p++ });
    } else {
      fail(`unrecognized character in action: ${JSON.stringify(c)}`, p);
    }
  }
}

function scanNumber(src: string, p: number): number {
  if (src[p] === "+" || src[p] === "-") p++;
  let digits = "0123456789_";
  if (src[p] === "0") {
    p++;
    const b = src[p];
    const prefixed: Record<string, string> = { x: "0123456789abcdefABCDEF_", o: "01234567_", b: "01_" };
    const set = b === undefined ? undefined : prefixed[b.toLowerCase()];
    if (set) {
      digits = set;
      p++;
    }
  }
  const run = (set: string) => {
    while (src[p] !== undefined && set.includes(src[p]!)) p++;
  };
  run(digits);
  if (src[p] === ".") {
    p++;
    run(digits);
  }
  if (digits.length === 11 && (src[p] === "e" || src[p] === "E")) {
    p++;
    if (src[p] === "+" || src[p] === "-") p++;
    run("0123456789_");
  }
  if (digits.length === 23 && (src[p] === "p" || src[p] === "P")) {
    p++;
    if (src[p] === "+" || src[p] === "-") p++;
    run("0123456789_");
  }
  if (src[p] === "i") p++;
  if (isAlnum(src[p])) fail(`bad number syntax: ${JSON.stringify(src.slice(0, p + 1).match(/[^\s(|]*$/)![0])}`, p);
  return p;
}

/** The value of a Go double-quoted string or character literal (strconv.Unquote). */
function unquoteGo(raw: string, at: number): string {
  const body = raw.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
    if (e !== undefined && e in simple) {
      out += simple[e];
      i += 2;
    } else if (e === raw[0]) {
      out += e;
      i += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) fail("invalid escape in string", at + 1 + i);
      const cp = parseInt(hex, 16);
      if (e !== "x" && (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))) fail("invalid escape in string", at + 1 + i);
      // \x makes one byte: above 0x7f it cannot be shown as text, so it is kept as the replacement character.
      out += e === "x" && cp > 0x7f ? "\ufffd" : String.fromCodePoint(cp);
      i += 2 + n;
    } else if (e !== undefined && e >= "0" && e <= "7") {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) fail("invalid escape in string", at + 1 + i);
      const b = parseInt(oct, 8);
      out += b > 0x7f ? "\ufffd" : String.fromCharCode(b);
      i += 4;
    } else {
      fail("invalid escape in string", at + 1 + i);
    }
  }
  if (raw[0] === "'" && [...out].length !== 1) fail("a character constant holds exactly one character", at);
  return out;
}
