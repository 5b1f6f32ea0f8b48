import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { badRequest, errorResponse, fail, ok, refuseCrossSite } from "@/lib/http";
import { getAuditService } from "@/lib/audit/server";
import { UPLOAD_PREFIX } from "@/lib/audit/types";
import { getConfig } from "@/lib/config";

export const dynamic = "force-dynamic";

let seq = 0;

/**
 * POST /api/audit/upload?name=<file name> with the file as the raw body: an exported audit log (JSON lines,
 * EventList, AKS export; plain or gzip) for post-incident analysis. Answers with what was stored and skipped.
 */
export async function POST(request: Request): Promise<Response> {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const limit = getConfig().audit.uploadMaxBytes;
  const name = (new URL(request.url).searchParams.get("name") ?? "upload").slice(0, 200);
  const tooLarge = () => fail("too_large", `uploads are limited to ${limit} bytes (APISCOPE_UPLOAD_MAX_BYTES)`, 413);
  if (Number(request.headers.get("content-length") ?? "0") > limit) return tooLarge();
  if (!request.body) return badRequest("the request has no body");
  try {
    const svc = await getAuditService();
    const file = path.join(svc.store.stagingDir, `upload-${process.pid}-${seq++}`);
    let bytes = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > limit ? new Error("too large") : null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(request.body as WebReadableStream), limiter, createWriteStream(file));
    } catch {
      rmSync(file, { force: true });
      return tooLarge();
    }
    try {
      return ok(await svc.ingestUpload(file, name));
    } finally {
      rmSync(file, { force: true });
    }
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * DELETE /api/audit/upload?source=upload:<name> — deletes an upload as the status lists it: its stored requests,
 * their rollups and its accounting. Files and the webhook are kept by retention, not deleted here.
 */
export async function DELETE(request: Request): Promise<Response> {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const source = new URL(request.url).searchParams.get("source") ?? "";
  if (!source.startsWith(UPLOAD_PREFIX) || source.length > UPLOAD_PREFIX.length + 200) {
    return badRequest(`source must name an upload as /api/audit/status lists it: "${UPLOAD_PREFIX}<name>"`);
  }
  try {
    const deleted = await (await getAuditService()).deleteUpload(source);
    if (!deleted) return fail("not_found", `no upload named ${JSON.stringify(source)}`, 404);
    return ok(deleted);
  } catch (err) {
    return errorResponse(err);
  }
}
