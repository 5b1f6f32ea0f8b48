import "server-only";
// Follows kube-apiserver audit log files (--audit-log-path): new lines of the live file, rotated siblings
// (`audit-2024-12-11T15-04-05.123.log`, optionally gzip-compressed), and whole directories. Files are known by
// inode and by a fingerprint of their first bytes, so a rename or a compressed copy is never read twice; offsets
// are committed with the events, so a restart resumes without re-reading.
import { createHash } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, openSync, readdirSync, readSync, rmSync, statSync, type Stats } from "node:fs";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import type { Outcome } from "../ingest/accounting";
import { gunzipFile, ingestFile, ingestStream, isGzip, type IngestContext } from "../ingest/ingest";
import type { AuditStore } from "../audit-store";
import { FINGERPRINT_BYTES, loadFileStates, saveFileState, type FileState } from "./file-state";

/** Largest piece of a file ingested at once (bounded memory and steady progress on huge logs). */
export const MAX_CHUNK_BYTES = 256 * 2 ** 20;
/** A file unchanged for this long is not being written to. */
const SETTLED_MS = 2000;
/** Chunks at least this big become their own segment; smaller increments join the hot table. */
const SEGMENT_BYTES = 32 * 2 ** 20;
const LOG_NAME = /(audit|\.log$|\.log\.gz$|\.jsonl?$|\.jsonl?\.gz$|\.gz$)/;

export interface FollowerOptions {
  store: AuditStore;
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
    for await (const chunk of gunzipFile(file)) {
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

/** Whether `file` is still the file `state` describes (a compressed file is read whole, so `complete`). */
async function isSameFile(file: string, gz: boolean, state: FileState): Promise<boolean> {
  if (gz !== state.complete) return false;
  if (gz) return fingerprintOf(await gunzipHead(file, FINGERPRINT_BYTES)) === state.fingerprint;
  return state.byte_offset === 0 || fingerprintOf(readHead(file, Math.min(FINGERPRINT_BYTES, state.byte_offset))) === state.fingerprint;
}

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
    // An inode is reused once its file is removed (a compressed or pruned backup), and a file truncated in place
    // may be refilled past the old offset before the next poll: a known inode is the same file only while its
    // first bytes still match.
    if (state && !(await isSameFile(file, gz, state))) state = undefined;
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
    // A whole file nobody is writing to any more (rotated, or exported) is read by DuckDB in place, in one piece.
    if (state.byte_offset === 0 && Date.now() - st.mtimeMs > SETTLED_MS && lastLineEnd(file, st.size - 1, st.size) === st.size) {
      return [await this.ingestWhole(source, file, state, st.size)];
    }
    const outcomes: Outcome[] = [];
    while (state.byte_offset < st.size) {
      const end = lastLineEnd(file, state.byte_offset, Math.min(st.size, state.byte_offset + MAX_CHUNK_BYTES));
      if (end === state.byte_offset) break;
      outcomes.push(await this.ingestRange(source, file, state, end));
      state = this.states.get(this.key(st.dev, st.ino))!;
    }
    return outcomes;
  }

  private async ingestWhole(source: string, file: string, state: FileState, size: number): Promise<Outcome> {
    // Its line count is only needed if it ever grows again (to number later lines): counted then.
    const next: FileState = { ...state, path: file, fingerprint: fingerprintOf(readHead(file, FINGERPRINT_BYTES)), byte_offset: size, line_count: UNKNOWN_LINES };
    const outcome = await ingestFile(file, { ...this.o.context(`file:${source}`, "segment"), onCommit: (conn) => saveFileState(conn, next) });
    this.states.set(this.key(state.dev, state.ino), next);
    return outcome;
  }

  private async ingestRange(source: string, file: string, state: FileState, end: number): Promise<Outcome> {
    const staged = path.join(this.o.store.stagingDir, `range-${process.pid}-${state.ino}-${state.byte_offset}.jsonl`);
    await pipeline(createReadStream(file, { start: state.byte_offset, end: end - 1 }), createWriteStream(staged));
    const lines = countLines(staged);
    if (state.line_count === UNKNOWN_LINES) state = { ...state, line_count: countLines(file, state.byte_offset) };
    // A plain file's fingerprint covers its first min(FINGERPRINT_BYTES, byte_offset) bytes: taken again while it
    // grows to FINGERPRINT_BYTES, so a file first seen short is still recognised once rotated and compressed.
    const fingerprint = state.byte_offset < FINGERPRINT_BYTES ? fingerprintOf(readHead(file, Math.min(FINGERPRINT_BYTES, end))) : state.fingerprint;
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
          await ingestStream(gunzipFile(file, state.byte_offset), ctx, true, state.line_count);
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

const UNKNOWN_LINES = -1;

/** Newlines in the first `limit` bytes of a file (all of it by default). */
function countLines(file: string, limit = Infinity): number {
  let n = 0;
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    let left = limit;
    for (let read = readSync(fd, buf, 0, Math.min(buf.length, left), null); read > 0 && left > 0; read = readSync(fd, buf, 0, Math.min(buf.length, left), null)) {
      left -= read;
      for (let i = buf.indexOf(10); i !== -1 && i < read; i = buf.indexOf(10, i + 1)) n++;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}
