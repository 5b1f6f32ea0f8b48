// Request bodies of the JSON routes: read no further than their size limit, parsed, and checked against a schema;
// what is wrong is answered as a 400 that says where.
import type { z } from "zod";
import { badRequest, fail } from "../http";

/** A failed check as one message: "rules.0.expr: …; interval: …" (`root` names the whole value). */
export function zodMessage(err: z.ZodError, root: string): string {
  return err.issues.map((i) => `${i.path.join(".") || root}: ${i.message}`).join("; ");
}

async function readText(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    // A body that lies about its length is cut off, not buffered.
    if (bytes > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The body checked against `schema`, or the answer refusing it. */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes: number): Promise<{ ok: true; value: z.output<S> } | { ok: false; response: Response }> {
  const text = await readText(request, maxBytes);
  if (text === null) return { ok: false, response: fail("too_large", `the request body is larger than ${maxBytes} bytes`, 413) };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: badRequest("the body is not JSON") };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: badRequest(zodMessage(parsed.error, "body")) };
}
