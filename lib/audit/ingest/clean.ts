import "server-only";
// The robust path: reads any input in bounded memory, decodes envelopes and odd formats, and writes the valid
// events as clean JSON lines (with their line numbers) for DuckDB's typed reader. Whatever cannot be read is
// counted by reason, with a few samples; the valid events around it are kept.
// JSON lines are read line by line; a line longer than MAX_LINE_BYTES (a compact EventList of thousands of events)
// and a whole document (pretty-printed, or a JSON array) are spilled to disk and read piece by piece
// (json-stream.ts), so neither is held whole.
import { once } from "node:events";
import { createReadStream, createWriteStream, rmSync, type WriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { decodeLine, decodePiece, MAX_LINE_BYTES, type Decoded } from "../decode";
import type { Skip, SkipReason } from "../reasons";
import { readJsonPieces } from "./json-stream";

const SAMPLES = 5;

export interface Cleaned {
  events: number;
  lines: number;
  skipCounts: Partial<Record<SkipReason, number>>;
  samples: Skip[];
}

class Tally {
  readonly counts: Partial<Record<SkipReason, number>> = {};
  readonly samples: Skip[] = [];
  add(skip: Skip): void {
    const n = (this.counts[skip.reason] ?? 0) + 1;
    this.counts[skip.reason] = n;
    if (n <= SAMPLES) this.samples.push(skip);
  }
}

export interface CleanOptions {
  /** Line numbers continue from here (a chunk of a longer file). */
  lineBase?: number;
  /** What a failing input stream means (a corrupt gzip, a dropped upload). */
  onStreamError?: (err: Error) => Skip;
}

/** Bytes written to a spill file, waiting when the disk is behind. */
class Spill {
  readonly stream: WriteStream;
  bytes = 0;
  constructor(readonly file: string) {
    this.stream = createWriteStream(file);
  }
  async write(part: Buffer): Promise<void> {
    this.bytes += part.length;
    if (!this.stream.write(part)) await once(this.stream, "drain");
  }
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** Reads `input` (already decompressed) and writes clean events as JSON lines to `outFile`. */
export async function cleanInput(input: Readable | AsyncIterable<Buffer | string>, outFile: string, options: CleanOptions = {}): Promise<Cleaned> {
  const sink = createWriteStream(outFile);
  const tally = new Tally();
  let events = 0;
  let out: string[] = [];
  const emit = (d: Decoded) => {
    if ("skip" in d) return tally.add(d.skip);
    events++;
    out.push(`${JSON.stringify({ ...d.event, __line: d.line ?? null })}\n`);
  };
  /** Writes what was decoded so far, waiting when the disk is behind (bounded memory). */
  const drain = async () => {
    if (out.length === 0) return;
    const text = out.join("");
    out = [];
    if (!sink.write(text)) await once(sink, "drain");
  };
  const lines = new LineReader(options.lineBase ?? 0, `${outFile}.line`, emit, tally, drain);
  let doc: Spill | null = null;
  let documentMode: boolean | null = null;
  try {
    for await (const raw of input as AsyncIterable<Buffer | string>) {
      const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
      documentMode ??= looksLikeDocument(chunk);
      if (documentMode) await (doc ??= new Spill(`${outFile}.doc`)).write(chunk);
      else await lines.push(chunk);
    }
  } catch (err) {
    const error = err as Error;
    tally.add(options.onStreamError ? options.onStreamError(error) : { reason: "invalid_json", detail: error.message.slice(0, 120) });
  }
  let lastLine: number;
  if (doc) {
    await doc.close();
    const file = doc.file;
    try {
      const read = await readJsonPieces(() => createReadStream(file), (options.lineBase ?? 0) + 1, (p) => [...decodePiece(p)].forEach(emit), drain);
      // Not JSON text after all (e.g. JSON lines whose first line is damaged): read it line by line.
      if (read.error) {
        for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) await lines.push(chunk);
        lastLine = await lines.end();
      } else lastLine = read.lastLine;
    } finally {
      rmSync(file, { force: true });
    }
  } else lastLine = await lines.end();
  await drain();
  await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { events, lines: lastLine, skipCounts: tally.counts, samples: tally.samples };
}

/**
 * JSON lines, one chunk at a time. A line is decoded whole up to MAX_LINE_BYTES; a longer one is read piece by
 * piece, from memory when it came in one chunk (a webhook batch), else from a spill file.
 */
class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private long: Spill | null = null;

  constructor(
    private lineNo: number,
    private readonly spillFile: string,
    private readonly emit: (d: Decoded) => void,
    private readonly tally: Tally,
    private readonly drain: () => Promise<void>,
  ) {}

  async push(chunk: Buffer): Promise<void> {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      await this.endLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.long) await this.long.write(rest);
      else if (this.pendingBytes + rest.length > MAX_LINE_BYTES) {
        // Never hold a long line: spill it and read it piece by piece once complete.
        this.long = new Spill(this.spillFile);
        for (const p of this.pending) await this.long.write(p);
        await this.long.write(rest);
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        this.pending.push(Buffer.from(rest));
        this.pendingBytes += rest.length;
      }
    }
    await this.drain();
  }

  /** The last line, when the input does not end with a newline; returns the number of the last line read. */
  async end(): Promise<number> {
    if (this.pendingBytes > 0 || this.long) await this.endLine(Buffer.alloc(0));
    return this.lineNo;
  }

  private async endLine(last: Buffer): Promise<void> {
    const line = ++this.lineNo;
    const long = this.long;
    const parts = [...this.pending, last];
    const bytes = this.pendingBytes + last.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.long = null;
    if (!long && bytes <= MAX_LINE_BYTES) {
      for (const d of decodeLine(Buffer.concat(parts).toString("utf8"), line)) this.emit(d);
      return;
    }
    let read: () => AsyncIterable<Buffer> | Iterable<Buffer> = () => parts;
    if (long) {
      await long.write(last);
      await long.close();
      read = () => createReadStream(long.file);
    }
    try {
      const { error } = await readJsonPieces(read, line, (p) => [...decodePiece(p)].forEach(this.emit), this.drain);
      // One line is one input: when it is not JSON text, it is skipped whole (nothing of it was stored).
      if (error) this.tally.add({ reason: error.reason, detail: error.detail, line });
    } finally {
      if (long) rmSync(long.file, { force: true });
    }
  }
}

/** A JSON array, or an object whose first line is not a complete JSON value (pretty-printed). */
function looksLikeDocument(first: Buffer): boolean {
  const text = first.subarray(0, 65536).toString("utf8").replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return true;
  if (!trimmed.startsWith("{")) return false;
  const firstLine = trimmed.split("\n", 1)[0]!.replace(/\r$/, "");
  if (firstLine.length === trimmed.length && first.length >= 65536) return false; // one very long line
  try {
    JSON.parse(firstLine);
    return false;
  } catch {
    return true;
  }
}
