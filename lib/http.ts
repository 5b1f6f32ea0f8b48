// The one JSON envelope of apiscope's routes — Prometheus' own — and its helpers. Route handlers answer only
// through `ok`, `fail`, `badRequest` and `errorResponse`; none builds the envelope by hand.

/** Every JSON answer: `data` on success; on failure a machine-readable `errorType` and a message safe to show. */
export type Envelope<T> = { status: "success"; data: T } | { status: "error"; errorType: string; error: string };

function send(body: Envelope<unknown>, status: number, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** A success: `{"status":"success","data":…}`. */
export function ok(data: unknown, status = 200): Response {
  return send({ status: "success", data }, status);
}

/** A failure: `{"status":"error","errorType":…,"error":…}` with its HTTP status (and headers such as Retry-After). */
export function fail(errorType: string, message: string, status: number, headers?: Record<string, string>): Response {
  return send({ status: "error", errorType, error: message }, status, headers);
}

export function badRequest(message: string): Response {
  return fail("bad_request", message, 400);
}

/** A failure whose message is safe to show, answered with its own type and HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

/** Known failures become clear JSON errors; anything else is logged (without request data) and hidden. */
export function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) return fail(err.errorType, err.message, err.httpStatus);
  console.error("apiscope: unexpected error:", err instanceof Error ? err.message : "unknown");
  return fail("internal", "internal error — see the apiscope server log", 500);
}

/**
 * A state-changing request a browser sent from another site (cross-site request forgery: a page elsewhere posting
 * to apiscope with the user's access) is refused; the answer, or null to go on. Browsers say where a request comes
 * from in Sec-Fetch-Site (every current one) or Origin; a request with neither is not a browser's (kube-apiserver's
 * audit webhook, curl, a bot) and goes on to its own checks.
 */
export function refuseCrossSite(request: Request): Response | null {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin" || site === "none" ? null : fail("forbidden", `cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 40)}): apiscope takes changes only from its own pages`, 403);
  }
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // "null" (a sandboxed or file page) and anything unparsable name no origin of ours.
  }
  return originHost !== null && originHost === host ? null : fail("forbidden", "cross-site request refused (Origin is not this server): apiscope takes changes only from its own pages", 403);
}
