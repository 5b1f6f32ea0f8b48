import "server-only";
// How a route answers what was computed from Prometheus (a panel, the webhook or APF summary): an answer that says
// the query failed ({status:"error", kind, message}) becomes the envelope's failure with the HTTP status of its kind;
// anything else (data, "not-covered") is the envelope's data.
import { badRequest, fail, ok } from "../http";
import { STATUS_BY_KIND, type PrometheusErrorKind } from "../prometheus/errors";
import { parseTimeRef } from "../time-range";

/** What the panel engine and the summaries answer when they cannot: the Prometheus error kind and its message. */
export interface Unanswered {
  status: "error";
  kind: PrometheusErrorKind | "bad_request";
  message: string;
}

const isUnanswered = (answer: { status: string }): answer is Unanswered => answer.status === "error";

export function prometheusAnswer<T extends { status: string }>(answer: T): Response {
  if (!isUnanswered(answer)) return ok(answer);
  return fail(answer.kind, answer.message, answer.kind === "bad_request" ? 400 : STATUS_BY_KIND[answer.kind]);
}

/** A 400 answer when `from` or `to` is present but not a time reference; null when both are fine. */
export function badWindow(search: URLSearchParams): Response | null {
  for (const key of ["from", "to"]) {
    const value = search.get(key);
    if (value !== null && !parseTimeRef(value)) return badRequest(`${key} must be "now", "now-<duration>" such as now-1h, or epoch milliseconds`);
  }
  return null;
}
