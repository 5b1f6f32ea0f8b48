// Reading JSON text too large to hold whole — an EventList of thousands of events on one line, a pretty-printed
// export of hundreds of megabytes — piece by piece: each event (an element of a top-level array, of an EventList's
// `items` or of an AKS export's `records`) is cut out and parsed on its own, so memory stays around the largest
// event, not the document. Two passes over the same bytes: the first checks that the text is JSON and learns what
// each top-level object is (its apiVersion may come after its items); the second hands out the pieces.
// Several top-level values in a row (JSON lines, or pretty-printed events one after another) are read one by one.
import { envelopeOf, type Envelope, type Piece } from "../decode";

/** Bytes of one piece held at most (a larger event or document is skipped as document_too_large). */
export const MAX_PIECE_BYTES = 256 * 2 ** 20;
/** Containers nested deeper than this are not audit input (the stack of open containers stays small). */
const MAX_DEPTH = 10_000;
const MAX_SCALAR = 512;
const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

export interface ScanError {
  reason: "invalid_json" | "unsupported_format";
  detail: string;
  line: number;
}

/** What may follow a backslash in a JSON string: " \ / b f n r t (and u with four hex digits). */
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

const enum Expect {
  Top,
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  Colon,
  CommaOrEnd,
}

const OBJ = 0x7b;
const ARR = 0x5b;
const KEY_MAX = 16;

/** What the second pass does with a top-level value. */
type Mode = { kind: "whole" } | { kind: "array"; count: number } | { kind: "envelope"; envelope: Exclude<Envelope, null>; count: number };

/**
 * One pass over a JSON text. Without plans (first pass) it checks the syntax and records, per top-level object
 * holding `items` or `records` arrays, which of them holds its events; with the plans (second pass) it emits pieces.
 */
class Scanner {
  error: ScanError | null = null;
  line: number;
  private stack: number[] = [];
  private expect = Expect.Top;
  private inString = false;
  private escaped = false;
  private hexLeft = 0;
  private stringIsKey = false;
  private scalar: number[] | null = null;
  private started = false;
  /** The key of the current member of the top-level object (only the short keys that matter are kept). */
  private key: number[] = [];
  private memberKey = "";
  private topIndex = -1;
  private topLine = 0;
  /** First pass: what the current top-level object says about itself. */
  private members: { kind?: unknown; apiVersion?: unknown; items?: unknown; records?: unknown } = {};
  private captureMember: "kind" | "apiVersion" | null = null;
  /** Second pass: what to do with the current top-level value. */
  private mode: Mode = { kind: "whole" };
  private cap: { parts: Buffer[]; start: number; line: number; bytes: number; over: boolean } | null = null;

  constructor(
    firstLine: number,
    readonly plans: Map<number, Exclude<Envelope, null>>,
    private readonly emit: ((p: Piece) => void) | null,
  ) {
    this.line = firstLine;
  }

  private fail(detail: string, reason: ScanError["reason"] = "invalid_json"): void {
    this.error ??= { reason, detail, line: this.line };
  }

  push(chunk: Buffer): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3; // UTF-8 BOM
    }
    const n = chunk.length;
    for (; i < n && !this.error; i++) {
      if (this.inString && !this.escaped && this.hexLeft === 0 && !this.stringIsKey) {
        // Most bytes are plain string content: skip them in a tight loop.
        let c = chunk[i]!;
        while (c !== 0x22 && c !== 0x5c && c >= 0x20 && ++i < n) c = chunk[i]!;
        if (i === n) break;
      }
      const c = chunk[i]!;
      if (this.inString) {
        if (this.hexLeft > 0) {
          this.hexLeft--;
          if (!isHex(c)) this.fail("a bad \\u escape in a string");
        } else if (this.escaped) {
          this.escaped = false;
          if (c === 0x75) this.hexLeft = 4;
          else if (!ESCAPES.has(c)) this.fail("a bad escape in a string");
        } else if (c === 0x5c) {
          this.escaped = true;
          if (this.stringIsKey) this.key.push(0); // an escaped key is none of the keys that matter
        }
        else if (c === 0x22) this.endString(chunk, i);
        else if (c < 0x20) this.fail(c === 0x0a ? "a line ends inside a string" : "a control character inside a string");
        else if (this.stringIsKey && this.key.length <= KEY_MAX) this.key.push(c);
        continue;
      }
      if (this.scalar) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x5d || c === 0x7d) this.endScalar(chunk, i);
        else if (this.scalar.length < MAX_SCALAR) {
          this.scalar.push(c);
          continue;
        } else {
          this.fail("an unquoted value too long to be a number");
          continue;
        }
      }
      this.structural(chunk, i, c);
    }
    if (this.cap) this.keep(chunk.subarray(this.cap.start));
  }

  /** At the end of the text: a number may end there; anything still open means the text was cut short. */
  finish(): void {
    if (this.scalar && !this.error) this.endScalar(Buffer.alloc(0), 0);
    if (this.error) return;
    if (this.inString || this.stack.length > 0) this.fail("the text ends inside a value (truncated?)");
    else if (this.expect !== Expect.Top) this.fail("the text ends where a value was expected");
  }

  private structural(chunk: Buffer, i: number, c: number): void {
    switch (c) {
      case 0x20:
      case 0x09:
      case 0x0d:
        return;
      case 0x0a:
        this.line++;
        return;
      case 0x22:
        if (this.expect === Expect.Key || this.expect === Expect.KeyOrEnd) {
          this.inString = true;
          this.stringIsKey = true;
          this.key = [];
        } else if (this.expectsValue()) {
          this.valueStart(chunk, i, c);
          this.inString = true;
          this.stringIsKey = false;
        } else this.fail("a string where none belongs");
        return;
      case OBJ:
      case ARR:
        if (!this.expectsValue()) return this.fail(`"${String.fromCharCode(c)}" where no value belongs`);
        if (this.stack.length >= MAX_DEPTH) return this.fail(`nested more than ${MAX_DEPTH} levels deep`, "unsupported_format");
        this.valueStart(chunk, i, c);
        this.stack.push(c);
        this.expect = c === OBJ ? Expect.KeyOrEnd : Expect.ValueOrEnd;
        return;
      case 0x7d:
      case 0x5d: {
        const open = c === 0x7d ? OBJ : ARR;
        const ok = this.stack.at(-1) === open && (this.expect === Expect.CommaOrEnd || this.expect === (open === OBJ ? Expect.KeyOrEnd : Expect.ValueOrEnd));
        if (!ok) return this.fail(`an unexpected "${String.fromCharCode(c)}"`);
        this.stack.pop();
        this.valueEnd(chunk, i + 1);
        return;
      }
      case 0x2c:
        if (this.expect !== Expect.CommaOrEnd) return this.fail('an unexpected ","');
        this.expect = this.stack.at(-1) === OBJ ? Expect.Key : Expect.Value;
        return;
      case 0x3a:
        if (this.expect !== Expect.Colon) return this.fail('an unexpected ":"');
        this.expect = Expect.Value;
        return;
      default:
        if (!this.expectsValue()) return this.fail(`an unexpected "${String.fromCharCode(c)}"`);
        this.valueStart(chunk, i, c);
        this.scalar = [c];
    }
  }

  private expectsValue(): boolean {
    return this.expect === Expect.Value || this.expect === Expect.ValueOrEnd || this.expect === Expect.Top;
  }

  private endString(chunk: Buffer, i: number): void {
    this.inString = false;
    if (this.stringIsKey) {
      this.expect = Expect.Colon;
      if (this.stack.length === 1) this.memberKey = this.key.length <= KEY_MAX ? String.fromCharCode(...this.key) : "";
    } else this.valueEnd(chunk, i + 1);
  }

  private endScalar(chunk: Buffer, i: number): void {
    const text = String.fromCharCode(...this.scalar!);
    this.scalar = null;
    if (!SCALAR.test(text)) return this.fail(`"${text.slice(0, 40)}" is not a JSON value`);
    this.valueEnd(chunk, i);
  }

  /** A value starts at chunk[i] (its first byte c), `depth` containers deep. */
  private valueStart(chunk: Buffer, i: number, c: number): void {
    const depth = this.stack.length;
    if (depth === 0) {
      this.topIndex++;
      this.topLine = this.line;
      this.members = {};
      const plan = this.plans.get(this.topIndex);
      this.mode = c === ARR ? { kind: "array", count: 0 } : plan ? { kind: "envelope", envelope: plan, count: 0 } : { kind: "whole" };
      if (this.emit && this.mode.kind === "whole") this.startCapture(i);
    } else if (depth === 1 && this.stack[0] === OBJ) {
      const k = this.memberKey;
      if (k === "items" || k === "records") this.members[k] = c === ARR ? [] : null;
      if (!this.emit && (k === "kind" || k === "apiVersion")) {
        // Only a string or scalar says what the object is; the last of duplicate keys counts, as in JSON.parse.
        this.members[k] = null;
        if (c !== OBJ && c !== ARR) {
          this.captureMember = k;
          this.startCapture(i);
        }
      }
    } else if (this.emit && this.isPiece(depth)) this.startCapture(i);
  }

  /** The value that started at depth `this.stack.length` ends before chunk[end]. */
  private valueEnd(chunk: Buffer, end: number): void {
    const depth = this.stack.length;
    this.expect = depth === 0 ? Expect.Top : Expect.CommaOrEnd;
    if (depth === 0) return this.topEnd(chunk, end);
    if (depth === 1 && this.captureMember) {
      const text = this.endCapture(chunk, end);
      try {
        this.members[this.captureMember] = JSON.parse(text ?? "null");
      } catch {
        this.fail(`${this.captureMember} is not a JSON value`);
      }
      this.captureMember = null;
    } else if (this.emit && this.isPiece(depth)) {
      const line = this.cap!.line;
      const bytes = this.cap!.bytes;
      const text = this.endCapture(chunk, end);
      if (this.mode.kind !== "whole") this.mode.count++;
      const apiVersion = this.mode.kind === "envelope" && this.mode.envelope.array === "items" ? this.mode.envelope.apiVersion : undefined;
      this.emit(text === null ? { kind: "too_large", bytes, line } : { kind: "element", text, line, ...(apiVersion ? { apiVersion } : {}) });
    }
  }

  private topEnd(chunk: Buffer, end: number): void {
    if (!this.emit) {
      const envelope = envelopeOf(this.members);
      if (envelope) this.plans.set(this.topIndex, envelope);
      return;
    }
    const line = this.topLine;
    if (this.mode.kind === "whole") {
      const bytes = this.cap!.bytes;
      const text = this.endCapture(chunk, end);
      this.emit(text === null ? { kind: "too_large", bytes, line } : { kind: "value", text, line });
    } else if (this.mode.count === 0) {
      this.emit({ kind: "empty", detail: this.mode.kind === "array" ? "[]" : `${this.mode.envelope.array}: []`, line });
    }
  }

  /** Whether a value starting `depth` deep is an element of the list the current top-level value holds events in. */
  private isPiece(depth: number): boolean {
    if (this.mode.kind === "array") return depth === 1;
    if (this.mode.kind === "envelope") return depth === 2 && this.stack[1] === ARR && this.memberKey === this.mode.envelope.array;
    return false;
  }

  private startCapture(i: number): void {
    this.cap = { parts: [], start: i, line: this.line, bytes: 0, over: false };
  }

  private keep(part: Buffer): void {
    const cap = this.cap!;
    cap.bytes += part.length;
    cap.over ||= cap.bytes > MAX_PIECE_BYTES;
    // Chunks are not reused by their streams, so the parts can be kept without copying; an oversized piece is only measured.
    if (!cap.over) cap.parts.push(part);
    else cap.parts = [];
    cap.start = 0;
  }

  /** The captured text, or null when it was too large to keep. */
  private endCapture(chunk: Buffer, end: number): string | null {
    this.keep(chunk.subarray(this.cap!.start, end));
    const { parts, over } = this.cap!;
    this.cap = null;
    return over ? null : Buffer.concat(parts).toString("utf8");
  }
}

/**
 * Reads a JSON text (one or more top-level values) piece by piece: `read` gives its bytes again for each pass,
 * `onPiece` gets the pieces in order and `afterChunk` runs between chunks (to write them out with backpressure).
 * Returns the syntax error instead when the text is not JSON; then no piece has been handed out.
 */
export async function readJsonPieces(
  read: () => AsyncIterable<Buffer> | Iterable<Buffer>,
  firstLine: number,
  onPiece: (p: Piece) => void,
  afterChunk: () => Promise<void> = async () => undefined,
): Promise<{ error: ScanError | null; lastLine: number }> {
  const plans = new Map<number, Exclude<Envelope, null>>();
  const check = new Scanner(firstLine, plans, null);
  for await (const chunk of read()) {
    check.push(chunk);
    if (check.error) break;
  }
  check.finish();
  if (check.error) return { error: check.error, lastLine: check.line };
  const pieces = new Scanner(firstLine, plans, onPiece);
  for await (const chunk of read()) {
    pieces.push(chunk);
    await afterChunk();
  }
  pieces.finish();
  return { error: null, lastLine: pieces.line };
}
