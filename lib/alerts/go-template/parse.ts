// Parser (text/template/parse/parse.go), with the checks that fail every expansion folded in.

import { fail } from "./errors";
import { checkArity, DATA_FIELDS, FUNCS, NOT_IN_RULES, PREDEFINED } from "./functions";
import { lex, type Token } from "./lex";
import { MAX_DEPTH, MAX_TEMPLATE_LENGTH } from "./limits";

type Num = { isInt: boolean; int: bigint; float: number; text: string };

export type Term =
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

export interface Cmd {
  pos: number;
  args: Term[];
}

export interface Pipe {
  pos: number;
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
}

export type Node =
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

export function describeTerm(t: Term): string {
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

export function parseTemplate(text: string): Node[] {
  if (text.length > MAX_TEMPLATE_LENGTH) fail(`the template is longer than ${MAX_TEMPLATE_LENGTH} characters`, MAX_TEMPLATE_LENGTH);
  return new Parser(lex(text)).parse();
}
