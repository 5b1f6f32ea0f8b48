import "server-only";
// The robust path: reads any input line by line in bounded memory, decodes envelopes and odd formats, and writes
// the valid events as clean JSON lines (with their line numbers) for DuckDB's typed reader. Whatever cannot be
// read is counted by reason, with a few samples; the valid events around it are kept.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { decodeDocument, decodeLine, MAX_LINE_BYTES, type Decoded } from "../decode";
import type { Skip, SkipReason } from "../reasons";

/** A single JSON document (pretty-printed event, EventList) is read whole up to this size. */
export const MAX_DOCUMENT_BYTES = 256 * 2 ** 20;
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
  let lineNo = options.lineBase ?? 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  let documentMode: boolean | null = null;
  const whole: Buffer[] = [];
  let wholeBytes = 0;

  const flushLine = (buf: Buffer) => {
    lineNo++;
    if (oversized) {
      tally.add({ reason: "line_too_large", detail: `more than ${MAX_LINE_BYTES} bytes`, line: lineNo });
      oversized = false;
      return;
    }
    for (const d of decodeLine(buf.toString("utf8"), lineNo)) emit(d);
  };

  try {
    for await (const raw of input as AsyncIterable<Buffer | string>) {
      const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
      if (documentMode === null) documentMode = looksLikeDocument(chunk);
      if (documentMode) {
        wholeBytes += chunk.length;
        if (wholeBytes > MAX_DOCUMENT_BYTES) {
          tally.add({ reason: "document_too_large", detail: `more than ${MAX_DOCUMENT_BYTES} bytes`, line: 1 });
          break;
        }
        whole.push(chunk);
        continue;
      }
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        if (!oversized) pending.push(piece);
        flushLine(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      const rest = chunk.subarray(start);
      if (rest.length > 0 && !oversized) {
        pendingBytes += rest.length;
        // Never buffer a huge line: remember that it is too large and skip to its end.
        if (pendingBytes > MAX_LINE_BYTES) {
          oversized = true;
          pending = [];
        } else pending.push(Buffer.from(rest));
      }
      await drain();
    }
  } catch (err) {
    const error = err as Error;
    tally.add(options.onStreamError ? options.onStreamError(error) : { reason: "invalid_json", detail: error.message.slice(0, 120) });
  }
  if (documentMode) {
    const text = Buffer.concat(whole).toString("utf8");
    const decoded = [...decodeDocument(text)];
    // Not one document after all (e.g. JSON lines whose first line is damaged): read it line by line.
    if (decoded.length === 1 && "skip" in decoded[0]! && decoded[0].skip.reason === "invalid_json") {
      for (const [i, line] of text.split("\n").entries()) for (const d of decodeLine(line.replace(/\r$/, ""), i + 1)) emit(d);
      lineNo = text.split("\n").length;
    } else {
      for (const d of decoded) emit(d);
      lineNo = 1;
    }
  } else if (pending.length > 0 || oversized) {
    flushLine(Buffer.concat(pending));
  }
  await drain();
  await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { events, lines: lineNo, skipCounts: tally.counts, samples: tally.samples };
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
