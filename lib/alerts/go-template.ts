// Rule annotations (and templated label values) are Go text/template programs that Prometheus expands with its own
// functions (template/template.go) and the alert's data: `$labels`, `$value`, `$externalLabels`, `$externalURL`,
// the same fields on `.`, and `missingkey=zero`. Users edit them in the browser, so they are checked here the way
// Go's parser would reject them — plus mistakes that fail every expansion (unknown fields of the alert data, wrong
// argument counts) — and previewed by evaluating the common subset exactly as Go and Prometheus format it.
// Anything whose result depends on the server (query, externalURL without one given, now, …) is refused with
// "cannot be previewed" rather than guessed.
//
// Offsets are indices into the JavaScript string (UTF-16 code units), as the editor counts them.

export type TemplateCheck = { ok: true } | { ok: false; message: string; offset: number };
export type TemplateRender = { ok: true; text: string } | { ok: false; message: string; offset?: number };

export interface TemplateData {
  labels: Record<string, string>;
  value: number;
  externalLabels?: Record<string, string>;
  /** Prometheus' --web.external-url; without it `$externalURL`, externalURL and pathPrefix cannot be previewed. */
  externalURL?: string;
}

/** Longest template checked or rendered: annotations are short; this keeps a pasted blob from stalling the page. */
export const MAX_TEMPLATE_LENGTH = 64 * 1024;
/** Output and work budget of one preview: nested ranges over labels would otherwise multiply without bound. */
const MAX_OUTPUT = 256 * 1024;
const MAX_STEPS = 200_000;
const MAX_DEPTH = 64;

class TemplateError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** An expansion Prometheus would make but this preview cannot reproduce. */
class NoPreview extends Error {}

function fail(message: string, offset: number): never {
  throw new TemplateError(message, offset);
}

// ---------------------------------------------------------------------------------------------------------------
// Functions: Go's builtins and Prometheus'. min/max count arguments (a piped value included); `str` marks
// parameters declared as string in Go, which refuse numbers and other types at execution.

interface FuncSpec {
  min: number;
  max: number;
  str?: number[];
}

const V = Infinity;
const FUNCS: Record<string, FuncSpec> = {
  // text/template builtins
  and: { min: 1, max: V },
  or: { min: 1, max: V },
  not: { min: 1, max: 1 },
  len: { min: 1, max: 1 },
  index: { min: 1, max: V },
  slice: { min: 1, max: 4 },
  print: { min: 0, max: V },
  printf: { min: 1, max: V, str: [0] },
  println: { min: 0, max: V },
  eq: { min: 2, max: V },
  ne: { min: 2, max: 2 },
  lt: { min: 2, max: 2 },
  le: { min: 2, max: 2 },
  gt: { min: 2, max: 2 },
  ge: { min: 2, max: 2 },
  html: { min: 0, max: V },
  js: { min: 0, max: V },
  urlquery: { min: 0, max: V },
  call: { min: 1, max: V },
  // Prometheus (template/template.go)
  humanize: { min: 1, max: 1 },
  humanize1024: { min: 1, max: 1 },
  humanizeDuration: { min: 1, max: 1 },
  humanizePercentage: { min: 1, max: 1 },
  humanizeTimestamp: { min: 1, max: 1 },
  toTime: { min: 1, max: 1 },
  title: { min: 1, max: 1, str: [0] },
  toUpper: { min: 1, max: 1, str: [0] },
  toLower: { min: 1, max: 1, str: [0] },
  match: { min: 2, max: 2, str: [0, 1] },
  reReplaceAll: { min: 3, max: 3, str: [0, 1, 2] },
  safeHtml: { min: 1, max: 1, str: [0] },
  label: { min: 2, max: 2, str: [0] },
  value: { min: 1, max: 1 },
  first: { min: 1, max: 1 },
  sortByLabel: { min: 2, max: 2, str: [0] },
  strvalue: { min: 1, max: 1 },
  stripPort: { min: 1, max: 1, str: [0] },
  stripDomain: { min: 1, max: 1, str: [0] },
  graphLink: { min: 1, max: 1, str: [0] },
  tableLink: { min: 1, max: 1, str: [0] },
  pathPrefix: { min: 0, max: 0 },
  externalURL: { min: 0, max: 0 },
  args: { min: 0, max: V },
  query: { min: 1, max: 1, str: [0] },
  parseDuration: { min: 1, max: 1, str: [0] },
};

/** Names that are functions elsewhere but not in rule templates, with why. */
const NOT_IN_RULES: Record<string, string> = {
  tmpl: "tmpl exists only in console templates, not in rule annotations",
  // Prometheus 3 added these; a 2.x server refuses the whole rule file over them.
  now: "now needs Prometheus 3; a Prometheus 2 server refuses the rule file",
  toDuration: "toDuration needs Prometheus 3; a Prometheus 2 server refuses the rule file",
};

const DATA_FIELDS = ["Labels", "ExternalLabels", "ExternalURL", "Value"] as const;
const PREDEFINED = ["$", "$labels", "$value", "$externalLabels", "$externalURL"];

// ---------------------------------------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)

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

interface Token {
  kind: TokKind;
  /** The token's text; for strings and chars the decoded value is in `value`. */
  text: string;
  pos: number;
  value?: string;
}

const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]);
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlnum = (c: string | undefined) => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

function lex(src: string): Token[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Parser (text/template/parse/parse.go), with the checks that fail every expansion folded in.

type Num = { isInt: boolean; int: bigint; float: number; text: string };

type Term =
  | { t: "func"; name: string; pos: number }
  | { t: "dot"; pos: number }
  | { t: "nil"; pos: number }
  | { t: "field"; names: string[]; pos: number }
  | { t: "var"; name: string; names: string[]; pos: number }
  | { t: "bool"; value: boolean; pos: number }
  | { t: "number"; value: Num; pos: number }
  | { t: "string"; value: string; pos: number }
  | { t: "pipe"; pipe: Pipe; pos: number }
  | { t: "chain"; node: Term; names: string[]; pos: number };

interface Cmd {
  pos: number;
  args: Term[];
}

interface Pipe {
  pos: number;
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
}

type Node =
  | { t: "text"; text: string }
  | { t: "action"; pipe: Pipe; pos: number }
  | { t: "if" | "with" | "range"; pipe: Pipe; list: Node[]; elseList: Node[] | null; pos: number }
  | { t: "break" | "continue"; pos: number };

type DotKind = "data" | "unknown";

class Parser {
  private i = 0;
  private vars: string[] = [...PREDEFINED];
  private rangeDepth = 0;
  private depth = 0;
  private dot: DotKind[] = ["data"];

  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private peekNonSpace(): Token {
    while (this.peek().kind === "space") this.i++;
    return this.peek();
  }
  private nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  parse(): Node[] {
    const { list, stop } = this.itemList(null);
    if (stop) fail(`unexpected {{${stop.text}}}`, stop.pos);
    return list;
  }

  /** Nodes up to {{end}} or {{else}} (returned as `stop`, with `else` left unread after the keyword) or EOF. */
  private itemList(open: { word: string; pos: number } | null): { list: Node[]; stop: Token | null } {
    const list: Node[] = [];
    for (;;) {
      const tok = this.next();
      if (tok.kind === "eof") {
        if (open) fail(`unclosed {{${open.word}}}: it has no {{end}}`, open.pos);
        return { list, stop: null };
      }
      if (tok.kind === "text") {
        list.push({ t: "text", text: tok.text });
        continue;
      }
      // tok is {{
      const word = this.peekNonSpace();
      if (word.kind === "keyword") {
        this.next();
        switch (word.text) {
          case "end":
            this.expectRight("end");
            if (!open) fail("unexpected {{end}}", word.pos);
            return { list, stop: word };
          case "else":
            if (!open || open.word === "else") fail("unexpected {{else}}", word.pos);
            return { list, stop: word };
          case "if":
          case "with":
          case "range":
            list.push(this.control(word.text, tok.pos));
            continue;
          case "break":
          case "continue":
            if (this.rangeDepth === 0) fail(`{{${word.text}}} outside {{range}}`, word.pos);
            this.expectRight(word.text);
            list.push({ t: word.text, pos: word.pos });
            continue;
          default:
            fail(`{{${word.text}}} is not supported in rule templates: templates cannot be defined or included there`, word.pos);
        }
      }
      const pipe = this.pipeline("command", "right");
      list.push({ t: "action", pipe, pos: tok.pos });
    }
  }

  private expectRight(context: string) {
    const t = this.nextNonSpace();
    if (t.kind !== "right") fail(`unexpected ${describe(t)} in {{${context}}}`, t.pos);
  }

  private control(word: string, openPos: number): Node {
    if (++this.depth > MAX_DEPTH) fail("the template is nested too deeply", openPos);
    const mark = this.vars.length;
    const pipe = this.pipeline(word, "right");
    if (word === "range") this.rangeDepth++;
    this.dot.push(word === "if" ? this.dot.at(-1)! : "unknown");
    const { list, stop } = this.itemList({ word, pos: openPos });
    this.dot.pop();
    if (word === "range") this.rangeDepth--;
    let elseList: Node[] | null = null;
    if (stop?.text === "else") {
      const after = this.peekNonSpace();
      if (after.kind === "keyword" && after.text === "if" && word === "if") {
        // {{else if …}}: a nested {{if}} that shares this one's {{end}}.
        this.next();
        this.dot.push(this.dot.at(-1)!);
        elseList = [this.control(after.text, stop.pos)];
        this.dot.pop();
      } else {
        // {{else with}} needs Go 1.23: Prometheus 2.x refuses the whole rule file over it.
        if (after.kind === "keyword" && (after.text === "if" || after.text === "with")) {
          fail(`{{else ${after.text}}} is not accepted here: write {{else}}{{${after.text} …}}…{{end}} and one more {{end}}`, after.pos);
        }
        this.expectRight("else");
        this.dot.push(this.dot.at(-1)!);
        const rest = this.itemList({ word: "else", pos: openPos });
        this.dot.pop();
        if (rest.stop?.text !== "end") fail(`unexpected {{else}}`, rest.stop?.pos ?? openPos);
        elseList = rest.list;
      }
    }
    this.vars.length = mark;
    this.depth--;
    return { t: word as "if" | "with" | "range", pipe, list, elseList, pos: openPos };
  }

  private pipeline(context: string, end: "right" | "rparen"): Pipe {
    const start = this.peekNonSpace();
    const pipe: Pipe = { pos: start.pos, decl: [], isAssign: false, cmds: [] };
    // Declarations: `$x :=`, `$x =`, and in range `$i, $e :=`.
    if (start.kind === "var") {
      const save = this.i;
      this.next();
      const after = this.peekNonSpace();
      if (after.kind === "declare" || after.kind === "assign") {
        this.next();
        pipe.isAssign = after.kind === "assign";
        pipe.decl.push(start.text);
      } else if (after.kind === "other" && after.text === ",") {
        if (context !== "range") fail(`too many declarations in ${context}`, after.pos);
        this.next();
        const second = this.nextNonSpace();
        if (second.kind !== "var") fail("range can only initialize variables", second.pos);
        const op = this.nextNonSpace();
        if (op.kind !== "declare" && op.kind !== "assign") fail("expected := after the range variables", op.pos);
        pipe.isAssign = op.kind === "assign";
        pipe.decl.push(start.text, second.text);
      } else {
        this.i = save;
      }
    }
    for (;;) {
      const t = this.peekNonSpace();
      if ((end === "right" && t.kind === "right") || (end === "rparen" && t.kind === "rparen")) {
        this.next();
        break;
      }
      if (t.kind === "eof") fail("unclosed action: missing }}", t.pos);
      if (t.kind === "right" || t.kind === "rparen") fail(`unexpected ${describe(t)}`, t.pos);
      pipe.cmds.push(this.command());
    }
    if (pipe.cmds.length === 0) fail(context === "command" ? "missing value for command" : `missing value for ${context}`, start.pos);
    pipe.cmds.slice(1).forEach((c, k) => {
      const first = c.args[0]!;
      if (first.t === "bool" || first.t === "dot" || first.t === "nil" || first.t === "number" || first.t === "string") {
        fail(`non executable command in pipeline stage ${k + 2}`, first.pos);
      }
    });
    for (const name of pipe.decl) {
      if (pipe.isAssign) {
        if (!this.vars.includes(name)) fail(`undefined variable ${name}: declare it with :=`, pipe.pos);
      } else this.vars.push(name);
    }
    this.checkPipe(pipe);
    return pipe;
  }

  private command(): Cmd {
    const cmd: Cmd = { pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.peek();
      if (t.kind === "space") continue;
      if (t.kind === "right" || t.kind === "rparen") break;
      if (t.kind === "pipe") {
        // A trailing | before }} is accepted by Go and changes nothing.
        this.next();
        break;
      }
      if (!op) fail(`unexpected ${describe(t)} in command`, t.pos);
      fail(`unexpected ${describe(t)} in operand`, t.pos);
    }
    if (cmd.args.length === 0) fail("missing value for command", cmd.pos);
    return cmd;
  }

  private operand(): Term | null {
    const term = this.term();
    if (!term) return null;
    if (this.peek().kind !== "field") return term;
    const names: string[] = [];
    while (this.peek().kind === "field") names.push(this.next().text.slice(1));
    switch (term.t) {
      case "field":
        return this.checkField({ ...term, names: [...term.names, ...names] });
      case "var":
        return this.checkField({ ...term, names: [...term.names, ...names] });
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        return fail(`unexpected . after term ${describeTerm(term)}`, term.pos);
      default:
        return { t: "chain", node: term, names, pos: term.pos };
    }
  }

  private term(): Term | null {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case "ident": {
        if (NOT_IN_RULES[t.text]) fail(NOT_IN_RULES[t.text]!, t.pos);
        if (!FUNCS[t.text]) fail(`function "${t.text}" not defined`, t.pos);
        return { t: "func", name: t.text, pos: t.pos };
      }
      case "dot":
        return { t: "dot", pos: t.pos };
      case "nil":
        return { t: "nil", pos: t.pos };
      case "var": {
        if (!this.vars.includes(t.text)) fail(`undefined variable ${t.text}`, t.pos);
        return this.checkField({ t: "var", name: t.text, names: [], pos: t.pos });
      }
      case "field":
        return this.checkField({ t: "field", names: [t.text.slice(1)], pos: t.pos });
      case "bool":
        return { t: "bool", value: t.text === "true", pos: t.pos };
      case "number":
      case "char":
        return { t: "number", value: parseNumber(t), pos: t.pos };
      case "string":
        return { t: "string", value: t.value!, pos: t.pos };
      case "lparen": {
        if (++this.depth > MAX_DEPTH) fail("the template is nested too deeply", t.pos);
        const pipe = this.pipeline("parenthesized pipeline", "rparen");
        this.depth--;
        return { t: "pipe", pipe, pos: t.pos };
      }
      default:
        this.i--;
        return null;
    }
  }

  /** Fields of the alert data are known: a misspelt one fails every expansion. */
  private checkField<T extends Term & { t: "field" | "var" }>(term: T): T {
    const first = term.names[0];
    if (first === undefined) return term;
    const onData = term.t === "var" ? term.name === "$" : this.dot.at(-1) === "data";
    if (onData && !(DATA_FIELDS as readonly string[]).includes(first)) {
      fail(`the alert data has no field .${first}: use .Labels, .Value, .ExternalLabels or .ExternalURL`, term.pos);
    }
    if (term.t === "var" && (term.name === "$value" || term.name === "$externalURL") && !this.redeclared(term.name)) {
      fail(`${term.name} is a ${term.name === "$value" ? "number" : "string"}: it has no field .${first}`, term.pos);
    }
    return term;
  }

  private redeclared(name: string): boolean {
    return this.vars.lastIndexOf(name) >= PREDEFINED.length;
  }

  /** Argument counts and non-functions given arguments: execution would fail on every alert. */
  private checkPipe(pipe: Pipe) {
    pipe.cmds.forEach((cmd, k) => {
      const piped = k > 0 ? 1 : 0;
      const [first, ...rest] = cmd.args;
      if (first!.t === "func") {
        checkArity(first!.name, rest.length + piped, first!.pos);
      } else if (rest.length > 0 || piped) {
        fail(`${describeTerm(first!)} is not a function: it cannot take arguments`, (rest[0] ?? first!).pos);
      }
      // A function named as an argument is called without arguments.
      for (const a of rest) if (a.t === "func") checkArity(a.name, 0, a.pos);
    });
  }
}

function checkArity(name: string, n: number, pos: number) {
  const spec = FUNCS[name]!;
  if (n < spec.min || n > spec.max) {
    const want = spec.min === spec.max ? `${spec.min}` : spec.max === V ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
    fail(`wrong number of arguments for ${name}: want ${want}, got ${n}`, pos);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case "right":
      return "}}";
    case "eof":
      return "end of text";
    case "space":
      return "space";
    default:
      return JSON.stringify(t.text);
  }
}

function describeTerm(t: Term): string {
  switch (t.t) {
    case "var":
      return [t.name, ...t.names].join(".");
    case "field":
      return "." + t.names.join(".");
    case "string":
      return JSON.stringify(t.value);
    case "number":
      return t.value.text;
    case "bool":
      return String(t.value);
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "func":
      return t.name;
    default:
      return "the value";
  }
}

function parseNumber(t: Token): Num {
  if (t.kind === "char") {
    const cp = t.value!.codePointAt(0)!;
    return { isInt: true, int: BigInt(cp), float: cp, text: t.text };
  }
  const text = t.text;
  if (text.endsWith("i")) fail(`complex numbers are not supported here: ${text}`, t.pos);
  const clean = text.replace(/_/g, "");
  const sign = clean.startsWith("-") ? -1n : 1n;
  const body = clean.replace(/^[+-]/, "");
  if (/^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(body)) {
    const int = sign * BigInt(/^0[0-7]+$/.test(body) ? "0o" + body.slice(1) : body);
    if (int > 2n ** 63n - 1n || int < -(2n ** 63n)) fail(`${text} overflows int`, t.pos);
    return { isInt: true, int, float: Number(int), text };
  }
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) {
    const f = Number(clean);
    // A float constant with an integral value is an int when it has no point or exponent; 1e3 is a float.
    return { isInt: false, int: 0n, float: f, text };
  }
  return fail(`illegal number syntax: ${JSON.stringify(text)}`, t.pos);
}

function parseTemplate(text: string): Node[] {
  if (text.length > MAX_TEMPLATE_LENGTH) fail(`the template is longer than ${MAX_TEMPLATE_LENGTH} characters`, MAX_TEMPLATE_LENGTH);
  return new Parser(lex(text)).parse();
}

// ---------------------------------------------------------------------------------------------------------------
// Public checks

/** Whether Prometheus would accept the template, and where it would not. */
export function checkTemplate(text: string): TemplateCheck {
  try {
    parseTemplate(text);
    return { ok: true };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

/** True when the text holds no action: Prometheus expands it to itself. */
export function isTemplateFree(text: string): boolean {
  return !text.includes("{{");
}

/**
 * Text that expands to exactly `text`: each `{{` becomes an action printing "{{". Nothing else needs escaping —
 * outside actions Go copies text verbatim, `}}` included.
 */
export function escapeTemplateText(text: string): string {
  return text.replaceAll("{{", '{{ "{{" }}');
}

// ---------------------------------------------------------------------------------------------------------------
// Values as Go sees them

type Val =
  | { k: "nil" }
  | { k: "bool"; v: boolean }
  | { k: "int"; v: bigint; type?: "uint8" }
  | { k: "float"; v: number }
  | { k: "string"; v: string }
  | { k: "map"; v: Record<string, string> }
  | { k: "data" }
  | { k: "time"; ms: bigint };

const NIL: Val = { k: "nil" };
const str = (v: string): Val => ({ k: "string", v });
const float = (v: number): Val => ({ k: "float", v });
const bool = (v: boolean): Val => ({ k: "bool", v });

function typeName(v: Val): string {
  switch (v.k) {
    case "nil":
      return "<nil>";
    case "bool":
      return "bool";
    case "int":
      return v.type ?? "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "map":
      return "map[string]string";
    case "data":
      return "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }";
    case "time":
      return "*time.Time";
  }
}

function truth(v: Val): boolean {
  switch (v.k) {
    case "nil":
      return false;
    case "bool":
      return v.v;
    case "int":
      return v.v !== 0n;
    case "float":
      return v.v !== 0;
    case "string":
      return v.v.length > 0;
    case "map":
      return Object.keys(v.v).length > 0;
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Go's float formatting (strconv.FormatFloat as fmt uses it): exact decimal expansion, round half to even.

interface Digits {
  d: string; // significant digits, no trailing zeros; "" for zero
  dp: number; // value = 0.d × 10^dp
}

/** The exact decimal value of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  return trimDigits({ d: s, dp });
}

function trimDigits(x: Digits): Digits {
  let end = x.d.length;
  while (end > 0 && x.d[end - 1] === "0") end--;
  return end === 0 ? { d: "", dp: 0 } : { d: x.d.slice(0, end), dp: x.dp };
}

/** Rounds to `nd` significant digits, half to even on exact ties (strconv's decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d[nd]!;
  let up: boolean;
  if (next === "5" && nd + 1 === x.d.length) up = nd > 0 && Number(x.d[nd - 1]) % 2 === 1;
  else up = next >= "5";
  if (!up) return trimDigits({ d: x.d.slice(0, nd), dp: x.dp });
  let i = nd - 1;
  while (i >= 0 && x.d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: x.dp + 1 };
  return trimDigits({ d: x.d.slice(0, i) + String(Number(x.d[i]) + 1), dp: x.dp });
}

/** Shortest digits that read back as x (what Go and JavaScript both print by default). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const [m, ex] = x.toExponential().split("e");
  return trimDigits({ d: m!.replace(".", ""), dp: Number(ex) + 1 });
}

function fmtE(d: Digits, prec: number, e: "e" | "E"): string {
  let out = d.d[0] ?? "0";
  if (prec > 0) out += "." + d.d.slice(1, prec + 1).padEnd(prec, "0");
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  return `${out}${e}${sign}${exp < 10 ? "0" : ""}${exp}`;
}

function fmtF(d: Digits, prec: number): string {
  let out = d.dp > 0 ? d.d.slice(0, d.dp).padEnd(d.dp, "0") : "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < d.d.length ? d.d[j] : "0";
    }
  }
  return out;
}

/** strconv.FormatFloat(x, verb, prec, 64); prec -1 is the shortest representation. */
export function formatFloat(x: number, verb: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const shortest = prec < 0;
  let d: Digits;
  if (shortest) {
    d = shortestDigits(a);
    prec = verb === "e" || verb === "E" ? d.d.length - 1 : verb === "f" ? Math.max(d.d.length - d.dp, 0) : d.d.length;
  } else {
    const exact = exactDigits(a);
    if (verb === "e" || verb === "E") d = roundDigits(exact, prec + 1);
    else if (verb === "f") d = roundDigits(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDigits(exact, prec);
    }
  }
  let body: string;
  if (verb === "e" || verb === "E") body = fmtE(d, prec, verb);
  else if (verb === "f") body = fmtF(d, prec);
  else {
    let eprec = prec;
    if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length;
    if (shortest) eprec = 6;
    const exp = d.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (prec > d.d.length) prec = d.d.length;
      body = fmtE(d, prec - 1, verb === "g" ? "e" : "E");
    } else {
      if (prec > d.dp) prec = d.d.length;
      body = fmtF(d, Math.max(prec - d.dp, 0));
    }
  }
  return (neg ? "-" : "") + body;
}

// ---------------------------------------------------------------------------------------------------------------
// fmt: Sprint, Sprintf and strconv.Quote

const isPrintRune = (ch: string) => ch === " " || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** strconv.Quote (or QuoteRune with quote "'"). */
function goQuote(s: string, quote = '"'): string {
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
function timeString(ms: bigint): string {
  const date = new Date(Number(ms));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const frac = ((ms % 1000n) + 1000n) % 1000n;
  const fracText = frac === 0n ? "" : "." + String(frac).padStart(3, "0").replace(/0+$/, "");
  return `${p(date.getUTCFullYear(), 4)}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}${fracText} +0000 UTC`;
}

/** %v */
function formatValue(v: Val): string {
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
function compareGo(a: string, b: string): number {
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
function sprint(args: Val[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && a.k !== "string" && args[i - 1]!.k !== "string") out += " ";
    out += formatValue(a);
  });
  return out;
}

function sprintln(args: Val[]): string {
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

const runeCount = (s: string) => [...s].length;

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
function sprintf(format: string, args: readonly Val[]): string {
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

// ---------------------------------------------------------------------------------------------------------------
// Prometheus' functions

const humanizeSmall = (v: number, suffix = ""): string => {
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatFloat(v, "g", 4)}${prefix}${suffix}`;
};

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatFloat(v, "g", 4);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return `${formatFloat(v, "g", 4)}${prefix}`;
  }
  return humanizeSmall(v);
}

export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatFloat(v, "g", 4);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return `${formatFloat(v, "g", 4)}${prefix}`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatFloat(v, "g", 4);
  if (v === 0) return `${formatFloat(v, "g", 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    v = Math.abs(v);
    // Go's int64(v), which on amd64 turns anything past 2^63 into -2^63.
    const whole = v >= 2 ** 63 ? -(2n ** 63n) : BigInt(Math.trunc(v));
    const seconds = whole % 60n;
    const minutes = (whole / 60n) % 60n;
    const hours = (whole / 3600n) % 24n;
    const days = whole / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatFloat(v, "g", 4)}s`;
  }
  return humanizeSmall(v, "s");
}

export function humanizePercentage(v: number): string {
  return `${formatFloat(v * 100, "g", 4)}%`;
}

/** Seconds since the epoch as Prometheus' model.Time: truncated to milliseconds. */
function toTimeMs(v: number): bigint {
  const ns = v * 1e9;
  if (ns > 2 ** 63 || ns < -(2 ** 63)) {
    throw new ExecError(`${formatFloat(v, "g", -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  }
  return BigInt(Math.trunc(ns)) / 1_000_000n;
}

export function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return formatFloat(v, "g", 4);
  return timeString(toTimeMs(v));
}

/** Go's strconv.ParseFloat, for the strings Prometheus' humanize functions accept. */
function parseGoFloat(s: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (/^[+-]?0[xX]|_/.test(s)) throw new NoPreview("this number's syntax cannot be previewed");
  throw new ExecError(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
}

function toFloat(v: Val): number {
  switch (v.k) {
    case "float":
      return v.v;
    case "int":
      return Number(v.v);
    case "string":
      return parseGoFloat(v.v);
    default:
      throw new ExecError(`can't convert ${typeName(v)} to float`);
  }
}

const TITLE_DIGRAPHS: Record<string, string> = { Ǆ: "ǅ", ǅ: "ǅ", ǆ: "ǅ", Ǉ: "ǈ", ǈ: "ǈ", ǉ: "ǈ", Ǌ: "ǋ", ǋ: "ǋ", ǌ: "ǋ", Ǳ: "ǲ", ǲ: "ǲ", ǳ: "ǲ" };

/**
 * Title casing as Prometheus' `title` (x/text/cases, no lowering) does it: a cased letter after a word break is
 * title-cased. Breaks are whitespace and ASCII punctuation but `_` (an apostrophe breaks: "it's" → "It'S");
 * digits, marks and other punctuation continue a word.
 */
function title(s: string): string {
  let out = "";
  let atStart = true;
  for (const ch of s) {
    out += atStart ? (TITLE_DIGRAPHS[ch] ?? upper(ch)) : ch;
    atStart = /^[\s!-/:-@[-^`{-~]$/u.test(ch);
  }
  return out;
}

/** strings.ToUpper / ToLower map rune by rune with simple case mappings: no "ß" → "SS" expansions. */
const upper = (s: string) => [...s].map((ch) => (runeCount(ch.toUpperCase()) === 1 ? ch.toUpperCase() : ch)).join("");
const lower = (s: string) => [...s].map((ch) => (ch === "İ" ? "i" : runeCount(ch.toLowerCase()) === 1 ? ch.toLowerCase() : ch)).join("");

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
function goRegexp(pattern: string): RegExp {
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
function reReplaceAll(pattern: string, repl: string, text: string): string {
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
function splitHostPort(hp: string): { host: string; port: string } | null {
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

function stripDomain(hp: string): string {
  const split = splitHostPort(hp);
  const host = split ? split.host : hp;
  const port = split ? split.port : "";
  if (isIP(host)) return hp;
  const first = host.split(".")[0]!;
  return port !== "" ? joinHostPort(first, port) : first;
}

/** model.ParseDuration in seconds. */
function parseDuration(d: string): number {
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
function queryEscape(s: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + hex2(b).toUpperCase();
  }
  return out;
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ "\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

function jsEscape(s: string): string {
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

// ---------------------------------------------------------------------------------------------------------------
// Execution (text/template/exec.go)

/** An expansion error Prometheus would report (the annotation becomes "<error expanding template: …>"). */
class ExecError extends Error {}

class BreakSignal {}
class ContinueSignal {}

interface Scope {
  name: string;
  value: Val;
  /** Set when the value is not known to the preview. */
  opaque?: string;
}

const NO_EXTERNAL_URL = "the external URL cannot be previewed: it is Prometheus' --web.external-url";

class Exec {
  private out = "";
  private steps = 0;
  private vars: Scope[];

  private readonly data: TemplateData;

  constructor(data: TemplateData) {
    // Prometheus has no empty labels: one set to "" is absent.
    const present = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ""));
    this.data = { ...data, labels: present(data.labels), externalLabels: present(data.externalLabels ?? {}) };
    data = this.data;
    this.vars = [
      { name: "$", value: { k: "data" } },
      { name: "$labels", value: { k: "map", v: data.labels } },
      { name: "$externalLabels", value: { k: "map", v: data.externalLabels ?? {} } },
      { name: "$externalURL", value: str(data.externalURL ?? ""), ...(data.externalURL === undefined ? { opaque: NO_EXTERNAL_URL } : {}) },
      { name: "$value", value: float(data.value) },
    ];
  }

  run(nodes: Node[]): string {
    this.list(nodes, { k: "data" });
    return this.out;
  }

  private tick() {
    if (++this.steps > MAX_STEPS || this.out.length > MAX_OUTPUT) throw new NoPreview("the expansion is too large to preview");
  }

  private list(nodes: Node[], dot: Val) {
    for (const n of nodes) this.node(n, dot);
  }

  private node(n: Node, dot: Val) {
    this.tick();
    switch (n.t) {
      case "text":
        this.out += n.text;
        return;
      case "action": {
        const v = this.pipe(n.pipe, dot);
        if (n.pipe.decl.length === 0) this.out += this.print(v);
        return;
      }
      case "if":
      case "with": {
        const mark = this.vars.length;
        const v = this.pipe(n.pipe, dot);
        if (truth(v)) this.list(n.list, n.t === "with" ? v : dot);
        else if (n.elseList) this.list(n.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case "range":
        this.range(n, dot);
        return;
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
    }
  }

  private print(v: Val): string {
    if (v.k === "nil") return "<no value>";
    if (v.k === "data") throw new NoPreview("printing the whole alert data cannot be previewed");
    return formatValue(v);
  }

  private range(n: Extract<Node, { t: "if" | "with" | "range" }>, dot: Val) {
    const mark = this.vars.length;
    const decl = n.pipe.decl;
    const v = this.pipe({ ...n.pipe, decl: [] }, dot);
    const items: Array<[Val, Val]> = [];
    if (v.k === "map") for (const k of Object.keys(v.v).sort(compareGo)) items.push([str(k), str(v.v[k]!)]);
    // Ranging over an integer needs Go 1.22; Prometheus 2.x fails on it.
    else if (v.k !== "nil") throw new ExecError(`range can't iterate over ${formatValue(v)}`);
    for (const [key, elem] of items) {
      this.tick();
      const inner = this.vars.length;
      if (decl.length === 1) this.setVar(decl[0]!, elem, n.pipe.isAssign);
      if (decl.length === 2) {
        this.setVar(decl[0]!, key, n.pipe.isAssign);
        this.setVar(decl[1]!, elem, n.pipe.isAssign);
      }
      try {
        this.list(n.list, elem);
      } catch (e) {
        if (e instanceof BreakSignal) {
          this.vars.length = inner;
          break;
        }
        if (!(e instanceof ContinueSignal)) throw e;
      }
      this.vars.length = inner;
    }
    if (items.length === 0 && n.elseList) this.list(n.elseList, dot);
    this.vars.length = mark;
  }

  private setVar(name: string, value: Val, assign: boolean) {
    if (!assign) {
      this.vars.push({ name, value });
      return;
    }
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i] = { name, value };
        return;
      }
    }
    throw new ExecError(`undefined variable: ${name}`);
  }

  private variable(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const scope = this.vars[i]!;
      if (scope.name !== name) continue;
      if (scope.opaque) throw new NoPreview(scope.opaque);
      return scope.value;
    }
    throw new ExecError(`undefined variable: ${name}`);
  }

  private pipe(p: Pipe, dot: Val): Val {
    let v: Val | undefined;
    for (const cmd of p.cmds) v = this.command(cmd, dot, v);
    for (const name of p.decl) this.setVar(name, v!, p.isAssign);
    return v!;
  }

  private command(cmd: Cmd, dot: Val, final: Val | undefined): Val {
    this.tick();
    const [first, ...rest] = cmd.args;
    if (first!.t === "func") return this.call(first!.name, rest, dot, final);
    if (rest.length > 0 || final !== undefined) throw new ExecError(`can't give argument to non-function ${describeTerm(first!)}`);
    return this.arg(first!, dot);
  }

  private arg(t: Term, dot: Val): Val {
    switch (t.t) {
      case "func":
        return this.call(t.name, [], dot, undefined);
      case "dot":
        return dot;
      case "nil":
        return NIL;
      case "bool":
        return bool(t.value);
      case "number":
        return t.value.isInt ? { k: "int", v: t.value.int } : float(t.value.float);
      case "string":
        return str(t.value);
      case "field":
        return this.fields(dot, t.names);
      case "var": {
        const base = this.variable(t.name);
        return this.fields(base, t.names);
      }
      case "pipe":
        // Variables declared in parentheses live on to the end of the enclosing block, as in Go.
        return this.pipe(t.pipe, dot);
      case "chain":
        return this.fields(this.arg(t.node, dot), t.names);
    }
  }

  private fields(base: Val, names: string[]): Val {
    let v = base;
    for (const name of names) {
      if (v.k === "data") {
        if (name === "Labels") v = { k: "map", v: this.data.labels };
        else if (name === "ExternalLabels") v = { k: "map", v: this.data.externalLabels ?? {} };
        else if (name === "Value") v = float(this.data.value);
        else if (name === "ExternalURL") {
          if (this.data.externalURL === undefined) throw new NoPreview(NO_EXTERNAL_URL);
          v = str(this.data.externalURL);
        } else throw new ExecError(`can't evaluate field ${name} in type ${typeName(v)}`);
      } else if (v.k === "map") {
        // missingkey=zero: an absent label is "".
        v = str(Object.hasOwn(v.v, name) ? v.v[name]! : "");
      } else if (v.k === "nil") {
        throw new ExecError(`nil pointer evaluating interface {}.${name}`);
      } else {
        throw new ExecError(`can't evaluate field ${name} in type ${typeName(v)}`);
      }
    }
    return v;
  }

  private call(name: string, argTerms: Term[], dot: Val, final: Val | undefined): Val {
    // and/or evaluate their arguments only as far as needed.
    if (name === "and" || name === "or") {
      const all = [...argTerms.map((t) => () => this.arg(t, dot)), ...(final === undefined ? [] : [() => final])];
      let v: Val = NIL;
      for (const get of all) {
        v = get();
        if (truth(v) !== (name === "and")) return v;
      }
      return v;
    }
    const args = argTerms.map((t) => this.arg(t, dot));
    if (final !== undefined) args.push(final);
    const spec = FUNCS[name]!;
    if (args.length < spec.min || args.length > spec.max) throw new ExecError(`wrong number of args for ${name}: want ${spec.min} got ${args.length}`);
    for (const i of spec.str ?? []) {
      const a = args[i]!;
      if (a.k !== "string") throw new ExecError(`wrong type for value; expected string; got ${typeName(a)}`);
    }
    const s = (i: number) => (args[i] as { v: string }).v;
    switch (name) {
      case "not":
        return bool(!truth(args[0]!));
      case "len":
        return { k: "int", v: BigInt(length(args[0]!)) };
      case "index":
        return index(args[0]!, args.slice(1));
      case "slice":
        return sliceOf(args[0]!, args.slice(1));
      case "print":
        return str(sprint(args));
      case "println":
        return str(sprintln(args));
      case "printf":
        return str(sprintf(s(0), args.slice(1)));
      case "html":
        return str(htmlEscape(evalArgs(args)));
      case "js":
        return str(jsEscape(evalArgs(args)));
      case "urlquery":
        return str(queryEscape(evalArgs(args)));
      case "eq":
        return bool(args.slice(1).some((b) => equal(args[0]!, b, name)));
      case "ne":
        return bool(!equal(args[0]!, args[1]!, name));
      case "lt":
        return bool(less(args[0]!, args[1]!, name));
      case "le":
        return bool(less(args[0]!, args[1]!, name) || equal(args[0]!, args[1]!, name));
      case "gt":
        return bool(!(less(args[0]!, args[1]!, name) || equal(args[0]!, args[1]!, name)));
      case "ge":
        return bool(!less(args[0]!, args[1]!, name));
      case "humanize":
        return str(humanize(toFloat(args[0]!)));
      case "humanize1024":
        return str(humanize1024(toFloat(args[0]!)));
      case "humanizeDuration":
        return str(humanizeDuration(toFloat(args[0]!)));
      case "humanizePercentage":
        return str(humanizePercentage(toFloat(args[0]!)));
      case "humanizeTimestamp":
        return str(humanizeTimestamp(toFloat(args[0]!)));
      case "toTime": {
        const f = toFloat(args[0]!);
        if (!Number.isFinite(f)) throw new ExecError("value is NaN or Inf");
        return { k: "time", ms: toTimeMs(f) };
      }
      case "title":
        return str(title(s(0)));
      case "toUpper":
        return str(upper(s(0)));
      case "toLower":
        return str(lower(s(0)));
      case "match":
        return bool(goRegexp(s(0)).test(s(1)));
      case "reReplaceAll":
        return str(reReplaceAll(s(0), s(1), s(2)));
      case "safeHtml":
        return str(s(0));
      case "stripPort": {
        const split = splitHostPort(s(0));
        return str(split ? split.host : s(0));
      }
      case "stripDomain":
        return str(stripDomain(s(0)));
      case "graphLink":
        return str(`/graph?g0.expr=${queryEscape(s(0))}&g0.tab=0`);
      case "tableLink":
        return str(`/graph?g0.expr=${queryEscape(s(0))}&g0.tab=1`);
      case "parseDuration":
        return float(parseDuration(s(0)));
      case "externalURL":
      case "pathPrefix": {
        const url = this.data.externalURL;
        if (url === undefined) throw new NoPreview(NO_EXTERNAL_URL);
        return str(name === "externalURL" ? url : urlPath(url));
      }
      default:
        // query, first, label, value, strvalue, sortByLabel, args, call, toDuration, now
        throw new NoPreview(`${name} cannot be previewed: it depends on the Prometheus server or the moment of evaluation`);
    }
  }
}

function urlPath(url: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url);
  return m ? decodeURIComponent(m[1]!) : "";
}

/** html, js and urlquery take one string as is, anything else through fmt.Sprint. */
function evalArgs(args: Val[]): string {
  if (args.length === 1 && args[0]!.k === "string") return args[0]!.v;
  return sprint(args);
}

function length(v: Val): number {
  if (v.k === "string") return new TextEncoder().encode(v.v).length;
  if (v.k === "map") return Object.keys(v.v).length;
  throw new ExecError(`error calling len: len of type ${typeName(v)}`);
}

function index(item: Val, idx: Val[]): Val {
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

function sliceOf(item: Val, idx: Val[]): Val {
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

function equal(a: Val, b: Val, fn: string): boolean {
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

function less(a: Val, b: Val, fn: string): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === null || ka === "bool" || kb === null || kb === "bool") throw new ExecError(`error calling ${fn}: invalid type for comparison`);
  if (ka !== kb) throw new ExecError(`error calling ${fn}: incompatible types for comparison`);
  if (ka === "string") return compareGo((a as { v: string }).v, (b as { v: string }).v) < 0;
  return (a as { v: number | bigint }).v < (b as { v: number | bigint }).v;
}

/** The template's expansion for one alert, as Prometheus would produce it, or why there is none. */
export function renderTemplate(text: string, data: TemplateData): TemplateRender {
  let nodes: Node[];
  try {
    nodes = parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
  try {
    return { ok: true, text: new Exec(data).run(nodes) };
  } catch (e) {
    if (e instanceof NoPreview) return { ok: false, message: e.message.includes("cannot be previewed") ? e.message : `${e.message}: cannot be previewed` };
    if (e instanceof ExecError) return { ok: false, message: `error expanding the template: ${e.message}` };
    if (e instanceof BreakSignal || e instanceof ContinueSignal) return { ok: false, message: "break or continue outside range" };
    throw e;
  }
}
