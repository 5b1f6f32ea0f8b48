import "server-only";
// Shared response helpers for route handlers: JSON out, errors mapped once.
import { ConfigError } from "./config";
import { PrometheusError, STATUS_BY_KIND } from "./prometheus/errors";

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export function badRequest(message: string): Response {
  return json({ status: "error", errorType: "bad_request", error: message }, 400);
}

/** Known failures become clear JSON errors; anything else is logged (without request data) and hidden. */
export function errorResponse(err: unknown): Response {
  if (err instanceof PrometheusError) {
    return json({ status: "error", errorType: err.kind, error: err.message }, STATUS_BY_KIND[err.kind]);
  }
  if (err instanceof ConfigError) return json({ status: "error", errorType: "config", error: err.message }, 500);
  console.error("apiscope: unexpected error:", err instanceof Error ? err.message : "unknown");
  return json({ status: "error", errorType: "internal", error: "internal error — see the apiscope server log" }, 500);
}
