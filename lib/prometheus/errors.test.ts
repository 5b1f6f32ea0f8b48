import { describe, expect, it } from "vitest";
import { assertSeriesLimit, toPrometheusError } from "./errors";

const WHERE = "http://prometheus:9090";
const map = (thrown: unknown) => toPrometheusError(thrown, WHERE, 30);

describe("Prometheus error mapping", () => {
  it("says Prometheus is unreachable, and where", () => {
    const e = map({ status: "error", errorType: "network_error", code: "ECONNREFUSED", original: { headers: { Authorization: "Bearer secret" } } });
    expect(e.kind).toBe("unreachable");
    expect(e.message).toBe("Prometheus unreachable at http://prometheus:9090 (connection refused)");
    expect(e.message).not.toMatch(/secret/);
  });
  it("reports timeouts from the client and from Prometheus", () => {
    expect(map({ errorType: "timeout_error", code: "ECONNABORTED" }).kind).toBe("timeout");
    const e = map({ errorType: "http_error", httpStatus: 503, prometheus: { errorType: "timeout", error: "query timed out in expression evaluation" } });
    expect(e.kind).toBe("timeout");
    expect(e.message).toMatch(/within 30s/);
  });
  it("passes Prometheus' own explanation of a bad query", () => {
    const e = map({ errorType: "http_error", httpStatus: 400, prometheus: { errorType: "bad_data", error: '1:5: parse error: unexpected "}"' } });
    expect(e.kind).toBe("bad_query");
    expect(e.message).toBe('Bad query: 1:5: parse error: unexpected "}"');
  });
  it("recognises sample and series limits", () => {
    const samples = map({ httpStatus: 422, prometheus: { errorType: "execution", error: "query processing would load too many samples into memory in query execution" } });
    expect(samples.kind).toBe("too_many_samples");
    const series = map({ httpStatus: 422, prometheus: { errorType: "execution", error: "the query hit the max number of series limit (limit: 10000 series)" } });
    expect(series.kind).toBe("too_many_series");
  });
  it("separates credential problems and other upstream failures", () => {
    expect(map({ errorType: "http_error", httpStatus: 401, error: "Unauthorized" }).kind).toBe("auth");
    const other = map({ errorType: "http_error", httpStatus: 500, prometheus: { errorType: "internal", error: "boom" } });
    expect(other.kind).toBe("upstream");
    expect(other.message).toBe("Prometheus error (HTTP 500): boom");
    expect(map("weird").kind).toBe("upstream");
  });
});

describe("series limit", () => {
  it("refuses results above the limit with a clear message", () => {
    expect(() => assertSeriesLimit(500, 500)).not.toThrow();
    expect(() => assertSeriesLimit(501, 500)).toThrow(/returned 501 series, more than the 500 allowed/);
  });
});
