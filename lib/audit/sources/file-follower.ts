import "server-only";
// Follows kube-apiserver audit log files (--audit-log-path): new lines of the live file, rotated siblings
// (`audit-2024-12-11T15-04-05.123.log`, optionally gzip-compressed), and whole directories. Files are known by
// inode and by a fingerprint of their first bytes, so a rename or a compressed copy is never read twice; offsets
// are committed with the events, so a restart resumes without re-reading.
import { createHash } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, openSync, readdirSync, readSync, rmSync, statSync, type Stats } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import { createGunzip } from "node:zlib";
import type { Outcome } from "../ingest/accounting";
import { ingestFile, ingestStream, isGzip, type IngestContext } from "../ingest/ingest";
import type { Store } from "../store/store";
import { FINGERPRINT_BYTES, loadFileStates, saveFileState, type FileState } from "./file-state";

/** Largest piece of a file ingested at once (bounded memory and steady progress on huge logs). */
export const MAX_CHUNK_BYTES = 256 * 2 ** 20;
/** Chunks at least this big become their own segment; smaller increments join the hot table. */
const SEGMENT_BYTES = 32 * 2 ** 20;
const LOG_NAME = /(audit|\.log$|\.log\.gz$|\.jsonl?$|\.jsonl?\.gz$|\.gz$)/;

export interface FollowerOptions {
  store: Store;
  paths: string[];
  context: (source: string, sink: IngestContext["sink"]) => IngestContext;
  log?: (message: string) => void;
}

/** The files behind the configured paths: a directory's log files, or a file and its rotated siblings. */
export function candidateFiles(configured: string): string[] {
  let st: Stats;
  try {
    st = statSync(configured);
  } catch {
    return [];
  }
  const list = (dir: string, keep: (name: string) => boolean) => {
    try {
      return readdirSync(dir).filter(keep).map((n) => path.join(dir, n)).sort();
    } catch {
      return [];
    }
  };
  if (st.isDirectory()) return list(configured, (n) => LOG_NAME.test(n));
  const dir = path.dirname(configured);
  const ext = path.extname(configured);
  const stem = path.basename(configured, ext);
  // Rotated files first (older content), the live file last.
  const rotated = list(dir, (n) => n !== path.basename(configured) && n.startsWith(`${stem}-`) && (n.endsWith(ext) || n.endsWith(`${ext}.gz`)));
  return [...rotated, configured];
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

async function gunzipHead(file: string, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of createReadStream(file).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= bytes) break;
    }
  } catch {
    // A corrupt stream: fingerprint what could be read.
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

const fingerprintOf = (head: Buffer) => createHash("sha256").update(head).digest("hex");

/** The end of the last complete line in [from, to), or `from` when there is none yet. */
export function lastLineEnd(file: string, from: number, to: number): number {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let end = to; end > from; ) {
      const start = Math.max(from, end - buf.length);
      const n = readSync(fd, buf, 0, end - start, start);
      const i = buf.subarray(0, n).lastIndexOf(10);
      if (i !== -1) return start + i + 1;
      end = start;
    }
    return from;
  } finally {
    closeSync(fd);
  }
}

export class FileFollower {
  private states = new Map<string, FileState>();
  private loaded = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly o: FollowerOptions) {}

  private key = (dev: number, ino: number) => `${dev}:${ino}`;

  /** One pass over every configured path. Returns what was ingested, per source. */
  async pollOnce(): Promise<Outcome[]> {
    if (!this.loaded) {
      for (const s of await loadFileStates(this.o.store)) this.states.set(this.key(s.dev, s.ino), s);
      this.loaded = true;
    }
    const outcomes: Outcome[] = [];
    for (const configured of this.o.paths) {
      for (const file of candidateFiles(configured)) {
        try {
          outcomes.push(...(await this.follow(configured, file)));
        } catch (err) {
          this.o.log?.(`apiscope: reading ${file} failed: ${(err as Error).message}`);
        }
      }
    }
    return outcomes;
  }

  private async follow(source: string, file: string): Promise<Outcome[]> {
    const st = statSync(file);
    if (!st.isFile() || st.size === 0) return [];
    const key = this.key(st.dev, st.ino);
    const gz = isGzip(file);
    let state = this.states.get(key);
    if (!state) {
      // A file shorter than the fingerprint is read anyway; its fingerprint is set again once it has grown.
      const head = gz ? await gunzipHead(file, FINGERPRINT_BYTES) : readHead(file, FINGERPRINT_BYTES);
      const fingerprint = fingerprintOf(head);
      // The same content under another inode: a compressed or copied rotated file already (partly) read.
      const known = head.length >= FINGERPRINT_BYTES ? [...this.states.values()].find((s) => s.fingerprint === fingerprint) : undefined;
      state = { dev: st.dev, ino: st.ino, path: file, fingerprint, byte_offset: known?.byte_offset ?? 0, line_count: known?.line_count ?? 0, complete: false };
    }
    if (state.complete) return [];
    if (gz) return [await this.ingestCompressed(source, file, state)];
    if (st.size < state.byte_offset) state = { ...state, byte_offset: 0, line_count: 0 }; // truncated in place (copytruncate)
    const outcomes: Outcome[] = [];
    while (state.byte_offset < st.size) {
      const end = lastLineEnd(file, state.byte_offset, Math.min(st.size, state.byte_offset + MAX_CHUNK_BYTES));
      if (end === state.byte_offset) break;
      outcomes.push(await this.ingestRange(source, file, state, end));
      state = this.states.get(this.key(st.dev, st.ino))!;
    }
    return outcomes;
  }

  private async ingestRange(source: string, file: string, state: FileState, end: number): Promise<Outcome> {
    const staged = path.join(this.o.store.stagingDir, `range-${process.pid}-${state.ino}-${state.byte_offset}.jsonl`);
    await pipeline(createReadStream(file, { start: state.byte_offset, end: end - 1 }), createWriteStream(staged));
    const lines = countLines(staged);
    const fingerprint = state.byte_offset === 0 && end >= FINGERPRINT_BYTES ? fingerprintOf(readHead(file, FINGERPRINT_BYTES)) : state.fingerprint;
    const next: FileState = { ...state, path: file, fingerprint, byte_offset: end, line_count: state.line_count + lines };
    const sink = end - state.byte_offset >= SEGMENT_BYTES ? "segment" : "hot";
    try {
      const outcome = await ingestFile(staged, { ...this.o.context(`file:${source}`, sink), onCommit: (conn) => saveFileState(conn, next) }, state.line_count);
      this.states.set(this.key(state.dev, state.ino), next);
      return outcome;
    } finally {
      rmSync(staged, { force: true });
    }
  }

  private async ingestCompressed(source: string, file: string, state: FileState): Promise<Outcome> {
    const next: FileState = { ...state, path: file, complete: true };
    const ctx = { ...this.o.context(`file:${source}`, "segment" as const), onCommit: (conn: Parameters<typeof saveFileState>[0]) => saveFileState(conn, next) };
    const outcome =
      state.byte_offset === 0
        ? await ingestFile(file, ctx)
        : // Part of it was read before compression: skip what is already stored.
          await ingestStream(createReadStream(file).pipe(createGunzip()).pipe(skipBytes(state.byte_offset)), ctx, true, state.line_count);
    this.states.set(this.key(state.dev, state.ino), next);
    return outcome;
  }

  start(intervalMs: number): void {
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.pollOnce().then(
        () => undefined,
        (err: Error) => this.o.log?.(`apiscope: following audit logs failed: ${err.message}`),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

function countLines(file: string): number {
  let n = 0;
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let read = readSync(fd, buf); read > 0; read = readSync(fd, buf)) {
      for (let i = buf.indexOf(10); i !== -1 && i < read; i = buf.indexOf(10, i + 1)) n++;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

/** A transform dropping the first `n` bytes of a stream. */
function skipBytes(n: number): Transform {
  let left = n;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (left >= chunk.length) {
        left -= chunk.length;
        return done(null);
      }
      const rest = chunk.subarray(left);
      left = 0;
      done(null, rest);
    },
  });
}
