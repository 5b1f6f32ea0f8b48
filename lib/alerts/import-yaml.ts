// YAML read under hard limits for the rule importer (lib/alerts/import.ts): nesting scanned before the composer sees
// it, tokens, documents and aliases counted, alias expansion bounded, tags outside the core schema refused, and every
// scalar kept as the text Prometheus' decoder would store. Runs in the browser: no Node APIs.
import { Composer, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, type Node as YamlNode } from "yaml";
import { IMPORT_MAX_ALIASES, IMPORT_MAX_BYTES, IMPORT_MAX_DOCUMENTS, IMPORT_MAX_NESTING, IMPORT_MAX_TOKENS } from "./import-limits";

// Bounds on what aliases can expand to: YAML nodes visited and characters of string values, all documents together.
const MAX_NODES = 1_000_000;
const MAX_CHARS = 8 * IMPORT_MAX_BYTES;

/** A fatal problem: the whole text is refused. */
export class Refused extends Error {}
/** The text of one ConfigMap value (or of the whole input) is not YAML this importer reads. */
export class NotYaml extends Error {}

// YAML read into plain values. Every scalar becomes a string, a plain one exactly as written: that is what Prometheus'
// YAML decoder stores in a string field (`severity: 1` → "1", `1.0` → "1.0", `true` → "true"), so such values are
// accepted, not refused. Null stays null (Prometheus reads it as ""). Maps are Maps, so no key (`__proto__`) reaches
// an object prototype.
export type Plain = string | null | Plain[] | PlainMap;
export type PlainMap = Map<string, Plain>;

export const isPlainMap = (v: Plain | undefined): v is PlainMap => v instanceof Map;

export interface Budget {
  tokens: number;
  nodes: number;
  chars: number;
  aliases: number;
  documents: number;
  groups: number;
  rules: number;
}

// The core schema's tags and the non-specific "!"; anything else (!!js/function, !!binary, !Ref, !!set) is refused
// rather than read as the string the library falls back to.
const PLAIN_TAGS = new Set([
  "!",
  "tag:yaml.org,2002:str",
  "tag:yaml.org,2002:int",
  "tag:yaml.org,2002:float",
  "tag:yaml.org,2002:bool",
  "tag:yaml.org,2002:null",
  "tag:yaml.org,2002:map",
  "tag:yaml.org,2002:seq",
]);

// Characters outside YAML's printable set (C0 controls but tab and line breaks, DEL, C1 controls but NEL,
// U+FFFE/U+FFFF, lone surrogates): raw, they mean binary data; escaped in a double-quoted scalar, they are fine.
// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * An upper bound on the nesting of YAML collections, fed the lexer's tokens one by one (the lexer keeps no stack, so
 * any depth is safe to scan). The composer that builds documents recurses once per level and, at about 800 levels,
 * overflows the stack; V8 can then abort the process instead of throwing, so such text must never reach it.
 *
 * Flow collections count exactly (the lexer never emits brackets inside quoted scalars). Block collections count as
 * a stack of entry columns: a line's first token closes every entry at its column or deeper. A block sequence may
 * sit at its parent key's column and then replaces the key on this stack, so each block level counts twice.
 */
class NestingScan {
  /** Document start markers (---) seen: each starts a document. */
  markers = 0;
  private readonly stack: number[] = [];
  private col = 0;
  private offset = 0;
  private lineStart = true;
  private flow = 0;
  private keyCol: number | null = null;
  private atScalar = false;

  constructor(
    private readonly text: string,
    private readonly max: number,
  ) {}

  /** Null, or why the text nests too deeply. */
  push(token: string): string | null {
    // Control tokens for document, scalar and flow-end boundaries take no room; "\x1f" announces a scalar.
    if (token === "\x02" || token === "\x18" || token === "\x1f" || token === "\ufeff") {
      if (token === "\x1f") this.atScalar = true;
      return null;
    }
    const start = this.col;
    const at = this.offset;
    const scalar = this.atScalar;
    this.atScalar = false;
    this.offset += token.length;
    const nl = token.lastIndexOf("\n");
    this.col = nl === -1 ? this.col + token.length : token.length - nl - 1;
    if (!scalar && (/^[ \t\r\n]*$/.test(token) || token.startsWith("#"))) {
      if (nl !== -1) {
        this.lineStart = true;
        this.keyCol = null;
      }
      return null;
    }
    if (!scalar && (token === "---" || token === "...")) {
      if (token === "---") this.markers++;
      this.stack.length = 0;
      this.flow = 0;
      this.keyCol = null;
      this.lineStart = false;
      return null;
    }
    const stack = this.stack;
    if (this.lineStart && this.flow === 0) while (stack.length > 0 && stack[stack.length - 1]! >= start) stack.pop();
    this.lineStart = false;
    let extra = 0;
    switch (scalar ? "" : token) {
      case "[":
      case "{":
        this.flow++;
        this.keyCol = null;
        break;
      case "]":
      case "}":
        this.flow = Math.max(0, this.flow - 1);
        break;
      case "-":
      case "?":
        if (this.flow === 0) stack.push(start);
        this.keyCol = null;
        break;
      case ":":
        // In a flow sequence, `a: b` is a one-pair map: one more level.
        if (this.flow === 0) stack.push(this.keyCol ?? start);
        else extra = 1;
        this.keyCol = null;
        break;
      case ",":
        this.keyCol = null;
        break;
      default:
        if (this.keyCol === null) this.keyCol = start;
    }
    if (2 * stack.length + this.flow + extra > this.max) return `it nests collections more than ${this.max} levels deep (${lineColumn(this.text, at)})`;
    if (nl === token.length - 1) {
      this.lineStart = true;
      this.keyCol = null;
    }
    return null;
  }
}

/** The text's YAML documents as plain values; throws NotYaml for text that is not YAML this reads, Refused past a limit. */
export function readYaml(text: string, budget: Budget): Plain[] {
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) {
    throw new NotYaml(
      `it holds binary data (character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} at ${lineColumn(text, bad.index)}), not YAML or JSON text`,
    );
  }
  const lines = new LineCounter();
  const where = (pos: number) => {
    const { line, col } = lines.linePos(pos);
    return `line ${line}, column ${col}`;
  };
  // A first pass with the lexer alone, which costs a fraction of parsing: limits are enforced before any parsing
  // work, and no text reaches the recursive composer unless its nesting is bounded.
  const scan = new NestingScan(text, IMPORT_MAX_NESTING);
  for (const token of new Lexer().lex(text)) {
    if (++budget.tokens > IMPORT_MAX_TOKENS) throw new Refused(`it holds more than ${IMPORT_MAX_TOKENS.toLocaleString("en-US")} YAML tokens (keys, values, indicators)`);
    const deep = scan.push(token);
    if (deep) throw new NotYaml(deep);
    if (budget.documents + scan.markers > IMPORT_MAX_DOCUMENTS) throw new Refused(`it holds more than ${IMPORT_MAX_DOCUMENTS.toLocaleString("en-US")} YAML documents`);
  }
  // uniqueKeys is off because the library checks it pairwise (quadratic: a 200,000-key map takes minutes); the
  // conversion below checks duplicates with a Map. Merge keys stay off: `<<` is then an ordinary key.
  const composer = new Composer({ schema: "core", uniqueKeys: false, merge: false, strict: true, version: "1.2" });
  const out: Plain[] = [];
  for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text))) {
    if (++budget.documents > IMPORT_MAX_DOCUMENTS) throw new Refused(`it holds more than ${IMPORT_MAX_DOCUMENTS.toLocaleString("en-US")} YAML documents`);
    const error = doc.errors[0];
    if (error) throw new NotYaml(`it is not valid YAML: ${error.message} (${where(error.pos[0])})`);
    out.push(doc.contents === null ? null : new Converter(budget, where).plain(doc.contents, 0));
  }
  const trailing = composer.streamInfo().errors[0];
  if (trailing) throw new NotYaml(`it is not valid YAML: ${trailing.message} (${where(trailing.pos[0])})`);
  return out;
}

/** Walks one document into plain values, resolving aliases itself so that their expansion stays bounded. */
class Converter {
  private readonly anchors = new Map<string, YamlNode>();
  private readonly open = new Set<YamlNode>();
  private expanding = 0;

  constructor(
    private readonly budget: Budget,
    private readonly where: (pos: number) => string,
  ) {}

  private at(node: YamlNode): string {
    return node.range ? ` (${this.where(node.range[0])})` : "";
  }

  plain(node: YamlNode, depth: number): Plain {
    if (depth > IMPORT_MAX_NESTING) throw new Refused(`it nests collections more than ${IMPORT_MAX_NESTING} levels deep${this.at(node)}`);
    if (++this.budget.nodes > MAX_NODES) throw new Refused(`it expands to more than ${MAX_NODES.toLocaleString("en-US")} YAML values`);
    if (isAlias(node)) {
      if (++this.budget.aliases > IMPORT_MAX_ALIASES) throw new Refused(`it uses more than ${IMPORT_MAX_ALIASES} YAML aliases`);
      const target = this.anchors.get(node.source);
      if (!target) throw new NotYaml(`the alias *${node.source} has no anchor &${node.source} before it${this.at(node)}`);
      if (this.open.has(target)) throw new NotYaml(`the alias *${node.source} refers to a value that contains it${this.at(node)}`);
      // Anchors met while expanding an alias are not definitions at this point of the document.
      this.expanding++;
      try {
        return this.plain(target, depth + 1);
      } finally {
        this.expanding--;
      }
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor && this.expanding === 0) this.anchors.set(anchor, node);
    const tag = (node as { tag?: string }).tag;
    if (tag && !PLAIN_TAGS.has(tag)) throw new NotYaml(`the YAML tag ${tag.replace(/^tag:yaml.org,2002:/, "!!")} is not supported: rule files hold only strings, numbers, maps and lists${this.at(node)}`);
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return null;
      const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" ? (node.source ?? String(v)) : null;
      if (s === null) throw new NotYaml(`a value of an unsupported type${this.at(node)}`);
      this.budget.chars += s.length;
      if (this.budget.chars > MAX_CHARS) throw new Refused(`it expands to more than ${MAX_CHARS.toLocaleString("en-US")} characters of text`);
      return s;
    }
    this.open.add(node);
    try {
      if (isSeq(node)) return node.items.map((item) => (item === null ? null : this.plain(item as YamlNode, depth + 1)));
      if (isMap(node)) {
        const map: PlainMap = new Map();
        for (const pair of node.items) {
          const keyNode = pair.key as YamlNode | null;
          const key = keyNode === null ? null : this.plain(keyNode, depth + 1);
          if (typeof key !== "string") throw new NotYaml(`a map key that is not a string${keyNode ? this.at(keyNode) : ""}`);
          if (map.has(key)) throw new NotYaml(`the key ${JSON.stringify(key)} appears twice in one map${keyNode ? this.at(keyNode) : ""}`);
          map.set(key, pair.value === null ? null : this.plain(pair.value as YamlNode, depth + 1));
        }
        return map;
      }
    } finally {
      this.open.delete(node);
    }
    throw new NotYaml(`a YAML value of an unsupported kind${this.at(node)}`);
  }
}
