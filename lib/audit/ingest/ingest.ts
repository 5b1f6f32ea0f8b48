import "server-only";
// Ingesting one input (a file, a byte range of a live file, an upload, webhook batches): the fast path lets
// DuckDB read clean JSON lines of audit events directly; anything else — bad lines, envelopes, odd formats, a
// corrupt gzip — goes through the robust path (clean.ts) and then the same SQL. Both end in finalizeChunk, so
// every source is stored and counted the same way.
import { closeSync, createReadStream, openSync, readSync, rmSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { MAX_LINE_BYTES } from "../decode";
import { duckdbColumns, duckdbEventType } from "../fields";
import { sqlString } from "../../store/sql";
import type { AuditStore } from "../audit-store";
import type { Outcome } from "./accounting";
import { finalizeChunk, hasSkips, stageChunk, type ChunkSpec } from "./chunk";
import { cleanInput, type Cleaned } from "./clean";

export interface IngestContext {
  store: AuditStore;
  source: string;
  sink: ChunkSpec["sink"];
  nowMs: number;
  retentionSeconds: number;
  upload?: ChunkSpec["upload"];
  onAccepted?: ChunkSpec["onAccepted"];
  onCommit?: ChunkSpec["onCommit"];
}

let cleanSeq = 0;
/** kube-apiserver's batches are a few hundred events; anything this big is read the robust way. */
const MAX_EVENT_LIST_BYTES = 64 * 2 ** 20;

function readJson(file: string, robust: boolean): string {
  const columns = duckdbColumns(robust ? { __line: "BIGINT" } : {});
  return `read_json(${sqlString(file)}, format = 'newline_delimited', columns = ${columns}, maximum_object_size = ${MAX_LINE_BYTES}, compression = 'auto_detect')`;
}

/**
 * audit.k8s.io EventLists, one per line (audit webhook batches, or such batches saved to a file): DuckDB reads the
 * items typed, and each item inherits the list's apiVersion (items of kube-apiserver's webhook batches carry none).
 * A line that is not an EventList, or one without items, becomes an empty event: it is skipped as missing_field,
 * so the input is read again the robust way, which counts it for what it is (never dropped unseen).
 */
function readEventLists(file: string): string {
  const columns = `{"kind": 'VARCHAR', "apiVersion": 'VARCHAR', "items": '${duckdbEventType()}[]'}`;
  const lists = `read_json(${sqlString(file)}, format = 'newline_delimited', columns = ${columns}, maximum_object_size = ${MAX_EVENT_LIST_BYTES}, compression = 'auto_detect')`;
  return `(SELECT item.* REPLACE (coalesce(item.apiVersion, list_api_version) AS apiVersion)
    FROM (SELECT apiVersion AS list_api_version, unnest(CASE WHEN kind = 'EventList' AND len(items) > 0 THEN items ELSE [NULL] END) AS item FROM ${lists}))`;
}

/** Whether a plain file starts like a compact EventList line (then its lines are read as EventLists). */
function startsWithEventList(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(64);
    return EVENT_LIST_HEAD.test(head.subarray(0, readSync(fd, head, 0, 64, 0)).toString("latin1"));
  } finally {
    closeSync(fd);
  }
}

function specFor(ctx: IngestContext, file: string, cleaned: Cleaned | null, relation = readJson(file, cleaned !== null)): ChunkSpec {
  return {
    relation,
    robust: cleaned !== null,
    source: ctx.source,
    skips: cleaned?.samples ?? [],
    skipCounts: cleaned?.skipCounts ?? {},
    sink: ctx.sink,
    nowMs: ctx.nowMs,
    retentionSeconds: ctx.retentionSeconds,
    upload: ctx.upload,
    onAccepted: ctx.onAccepted,
    onCommit: ctx.onCommit,
  };
}

export function isGzip(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * The decompressed bytes of a gzip file after its first `skip`, then the error if the file is corrupt. A stream
 * iterator drops what the stream holds once it fails (events before the damage were lost depending on timing),
 * and an error of a piped stream never reaches the next one (the reader waited forever). So the output is taken
 * as it is produced, in order, and backpressure is applied to the compressed input instead.
 */
export async function* gunzipFile(file: string, skip = 0): AsyncGenerator<Buffer> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  const chunks: Buffer[] = [];
  const full = () => chunks.length >= 16;
  let ended = false;
  let failure: Error | null = null;
  let wake = () => {};
  const stop = (err: Error | null) => {
    failure ??= err;
    ended = true;
    wake();
  };
  source.on("data", (chunk: string | Buffer) => {
    if (!gunzip.write(chunk) || full()) source.pause();
  });
  source.on("end", () => gunzip.end());
  source.on("error", (err) => stop(err));
  gunzip.on("drain", () => {
    if (!full()) source.resume();
  });
  gunzip.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    wake();
  });
  gunzip.on("error", (err) => stop(err));
  gunzip.on("end", () => stop(null));
  let left = skip;
  try {
    for (;;) {
      const chunk = chunks.shift();
      if (chunk) {
        if (!full() && source.isPaused() && !gunzip.writableNeedDrain) source.resume();
        if (left >= chunk.length) left -= chunk.length;
        else {
          yield chunk.subarray(left);
          left = 0;
        }
      } else if (ended) {
        if (failure) throw failure;
        return;
      } else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/** A complete file, plain or gzip. `lineBase` numbers its lines after those of earlier chunks. */
export async function ingestFile(file: string, ctx: IngestContext, lineBase = 0): Promise<Outcome> {
  const fast = specFor(ctx, file, null, startsWithEventList(file) ? readEventLists(file) : undefined);
  let staged: string | null = null;
  try {
    staged = await stageChunk(ctx.store, fast);
    if (await hasSkips(ctx.store, staged)) {
      rmSync(staged, { force: true });
      staged = null;
    }
  } catch {
    staged = null; // DuckDB could not read it as clean JSON lines of events
  }
  if (staged) return finalizeChunk(ctx.store, staged, fast);
  const gz = isGzip(file);
  return ingestStream(gz ? gunzipFile(file) : createReadStream(file), ctx, gz, lineBase);
}

/** A chunk parsed into a staging file (stageChunk), to be stored by finalizeChunk. */
export interface StagedChunk {
  file: string;
  spec: ChunkSpec;
}

export function commitStaged(store: AuditStore, staged: StagedChunk): Promise<Outcome> {
  return finalizeChunk(store, staged.file, staged.spec);
}

/**
 * Webhook batches: EventList bodies, one per line, each known to be an EventList (see isEventList). The fast path
 * reads them with DuckDB; if anything in them is not clean, returns null and the caller takes the robust path.
 */
export async function stageEventLists(file: string, ctx: IngestContext): Promise<StagedChunk | null> {
  const spec = specFor(ctx, file, null, readEventLists(file));
  let staged: string | null = null;
  try {
    staged = await stageChunk(ctx.store, spec);
    if (!(await hasSkips(ctx.store, staged))) return { file: staged, spec };
  } catch {
    // DuckDB could not read it as clean EventLists
  }
  if (staged) rmSync(staged, { force: true });
  return null;
}

/** How kube-apiserver's webhook backend serialises a batch (Go writes the kind first). */
const EVENT_LIST_HEAD = /^\s*\{\s*"kind"\s*:\s*"EventList"\s*,/;

export function isEventList(body: Buffer): boolean {
  return EVENT_LIST_HEAD.test(body.subarray(0, 64).toString("latin1")) && !body.includes(0x0a);
}

/** Any readable input, the robust way (uploads of odd formats, damaged files). */
export async function ingestStream(input: Readable | AsyncIterable<Buffer>, ctx: IngestContext, gzip = false, lineBase = 0): Promise<Outcome> {
  return commitStaged(ctx.store, await stageStream(input, ctx, gzip, lineBase));
}

export async function stageStream(input: Readable | AsyncIterable<Buffer>, ctx: IngestContext, gzip = false, lineBase = 0): Promise<StagedChunk> {
  const cleanFile = path.join(ctx.store.stagingDir, `clean-${process.pid}-${cleanSeq++}.jsonl`);
  try {
    const cleaned = await cleanInput(input, cleanFile, {
      lineBase,
      onStreamError: (err) => ({ reason: gzip ? "corrupt_gzip" : "invalid_json", detail: err.message.slice(0, 120) }),
    });
    const spec = specFor(ctx, cleanFile, cleaned);
    return { file: await stageChunk(ctx.store, spec), spec };
  } finally {
    rmSync(cleanFile, { force: true });
  }
}
