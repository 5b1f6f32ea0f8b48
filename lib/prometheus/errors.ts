// Every failure talking to Prometheus becomes one PrometheusError with a message safe to show users:
// no credentials, no request config, no stack.
import { HttpError } from "../http";

export type PrometheusErrorKind =
  | "unreachable"
  | "timeout"
  | "bad_query"
  | "too_many_series"
  | "too_many_samples"
  | "auth"
  | "upstream";

/** HTTP status apiscope answers with for each kind. */
export const STATUS_BY_KIND: Record<PrometheusErrorKind, number> = {
  unreachable: 502,
  timeout: 504,
  bad_query: 400,
  too_many_series: 422,
  too_many_samples: 422,
  auth: 502,
  upstream: 502,
};

export class PrometheusError extends HttpError {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
  ) {
    super(kind, message, STATUS_BY_KIND[kind]);
    this.name = "PrometheusError";
  }
}

/** What prometheus-query rejects with (a plain object, never an Error). */
interface DriverFailure {
  errorType?: string;
  error?: string;
  code?: string;
  httpStatus?: number;
  prometheus?: { errorType?: string; error?: string };
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed",
};

/** Maps whatever the driver threw to a PrometheusError. `where` is the Prometheus URL without credentials. */
export function toPrometheusError(thrown: unknown, where: string, timeoutSeconds: number): PrometheusError {
  if (thrown instanceof PrometheusError) return thrown;
  const f = (typeof thrown === "object" && thrown !== null ? thrown : {}) as DriverFailure;
  const promType = f.prometheus?.errorType;
  const promMessage = f.prometheus?.error ?? f.error ?? "";
  if (f.errorType === "timeout_error" || promType === "timeout" || f.httpStatus === 504) {
    return new PrometheusError("timeout", `Prometheus did not answer within ${timeoutSeconds}s — narrow the time range or the query`);
  }
  if (f.errorType === "network_error" || f.errorType === "ssl_error") {
    const reason = (f.code && NETWORK_REASONS[f.code]) ?? (f.errorType === "ssl_error" ? "TLS handshake failed" : "no response");
    return new PrometheusError("unreachable", `Prometheus unreachable at ${where} (${reason})`);
  }
  if (f.httpStatus === 401 || f.httpStatus === 403) {
    return new PrometheusError("auth", `Prometheus refused apiscope's credentials (HTTP ${f.httpStatus}) — check the token or basic auth settings`);
  }
  if (promType === "bad_data") return new PrometheusError("bad_query", `Bad query: ${promMessage}`);
  if (/too many samples|max samples|exceeded.*samples/i.test(promMessage)) {
    return new PrometheusError("too_many_samples", `Query would load too many samples — narrow the time range or the series (${promMessage})`);
  }
  if (/too many series|series limit|cardinality/i.test(promMessage)) {
    return new PrometheusError("too_many_series", `Query returns too many series — narrow it (${promMessage})`);
  }
  if (promType === "unavailable" || f.httpStatus === 503) {
    return new PrometheusError("unreachable", `Prometheus at ${where} is unavailable (HTTP 503)${promMessage ? `: ${promMessage}` : ""}`);
  }
  const status = f.httpStatus ? `HTTP ${f.httpStatus}` : "unexpected answer";
  return new PrometheusError("upstream", `Prometheus error (${status})${promMessage ? `: ${promMessage}` : ""}`);
}

/** Refuses results too big to draw or ship to a browser (Prometheus has no series limit for queries). */
export function assertSeriesLimit(count: number, limit: number): void {
  if (count > limit) {
    throw new PrometheusError(
      "too_many_series",
      `The query returned ${count} series, more than the ${limit} allowed — narrow it (e.g. with the cluster or instance selector)`,
    );
  }
}
