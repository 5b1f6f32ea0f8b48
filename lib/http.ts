// Shared response helpers for route handlers: JSON out, errors mapped once.

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export function badRequest(message: string): Response {
  return json({ status: "error", errorType: "bad_request", error: message }, 400);
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
  if (err instanceof HttpError) return json({ status: "error", errorType: err.errorType, error: err.message }, err.httpStatus);
  console.error("apiscope: unexpected error:", err instanceof Error ? err.message : "unknown");
  return json({ status: "error", errorType: "internal", error: "internal error — see the apiscope server log" }, 500);
}
