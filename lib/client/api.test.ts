import { afterEach, describe, expect, it, vi } from "vitest";
import { absoluteRange } from "../time-range";
import { DEFAULT_VIEW, type ViewState } from "../url-state";
import { ApiError, deleteAuditUpload, fetchAdHocPanel, fetchApfStatus, fetchPanel, fetchStatus, unwrap } from "./api";

const thrown = (f: () => unknown): ApiError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error("did not throw");
};

describe("the envelope reader", () => {
  it("gives the data of a success", () => {
    expect(unwrap(200, { status: "success", data: { a: 1 } })).toEqual({ a: 1 });
    expect(unwrap(200, { status: "success", data: null })).toBeNull();
    // Answers that say this Prometheus cannot give them are data.
    expect(unwrap(200, { status: "success", data: { status: "not-covered", message: "no APF metrics" } })).toEqual({ status: "not-covered", message: "no APF metrics" });
  });

  it("throws a failure as its errorType and message: the error state a panel shows", () => {
    const e = thrown(() => unwrap(502, { status: "error", errorType: "unreachable", error: "Prometheus unreachable at http://p:9090 (connection refused)" }));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toBe("Prometheus unreachable at http://p:9090 (connection refused)");
  });

  it("says what it can of an answer that is not the envelope", () => {
    expect(thrown(() => unwrap(504, null))).toMatchObject({ kind: "http", message: "HTTP 504" });
    expect(thrown(() => unwrap(413, null, "upload failed"))).toMatchObject({ kind: "http", message: "upload failed (HTTP 413)" });
    expect(thrown(() => unwrap(500, { status: "error" }))).toMatchObject({ kind: "http", message: "HTTP 500" });
    expect(thrown(() => unwrap(200, { rows: [] }))).toMatchObject({ kind: "http", message: "unexpected answer (HTTP 200)" });
    expect(thrown(() => unwrap(404, { status: "success", data: 1 }))).toMatchObject({ message: "HTTP 404" });
  });
});

describe("the fetchers", () => {
  const calls: Array<{ url: string; method: string | undefined }> = [];
  const answer = (status: number, body: unknown) =>
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      calls.push({ url, method: init?.method });
      return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    });
  afterEach(() => {
    vi.unstubAllGlobals();
    calls.length = 0;
  });
  const view: ViewState = { ...DEFAULT_VIEW, refresh: "30s", cluster: "prod" };

  it("ask for a panel with the view (no refresh choice) and unwrap it", async () => {
    answer(200, { status: "success", data: { status: "not-covered", message: "m" } });
    expect(await fetchPanel("webhook-calls", view, 800, undefined, { webhook: "a.example.com" })).toEqual({ status: "not-covered", message: "m" });
    expect(calls[0]!.url).toBe("/api/panels/webhook-calls?cluster=prod&from=now-1h&to=now&width=800&webhook=a.example.com");
  });

  it("turn a failed summary into the error a panel shows", async () => {
    answer(504, { status: "error", errorType: "timeout", error: "Prometheus did not answer within 30s" });
    await expect(fetchApfStatus(view)).rejects.toMatchObject({ kind: "timeout", message: "Prometheus did not answer within 30s" });
  });

  it("draw an ad-hoc expression from the allow-listed query_range over the view's window", async () => {
    const plan = { startSeconds: 1_700_000_000, endSeconds: 1_700_003_600, stepSeconds: 60, rateWindowSeconds: 120 };
    answer(200, { status: "success", data: { ...plan, series: [{ labels: { job: "apiserver" }, points: [[1_700_000_000_000, 1]] }] } });
    const window = { ...view, range: absoluteRange(1_700_000_000_500, 1_700_003_600_500) };
    const data = await fetchAdHocPanel({ promql: "sum by (job) (up)", title: "Up", unit: "count", description: "" }, window, 600);
    const url = new URL(calls[0]!.url, "http://x");
    expect(url.pathname).toBe("/api/prometheus/query_range");
    expect(Object.fromEntries(url.searchParams)).toEqual({ query: "sum by (job) (up)", start: "1700000000", end: "1700003601", width: "600" });
    expect(data).toMatchObject({ status: "ok", kind: "timeseries", startMs: 1_700_000_000_000, stepMs: 60_000, series: [{ name: '{job="apiserver"}' }] });
  });

  it("delete an upload with DELETE, and say so when it fails", async () => {
    answer(200, { status: "success", data: { source: "upload:a.log", requests: 3, open: 0, segments: 1 } });
    expect(await deleteAuditUpload("upload:a.log")).toMatchObject({ requests: 3 });
    expect(calls[0]).toEqual({ url: "/api/audit/upload?source=upload%3Aa.log", method: "DELETE" });
    answer(404, { status: "error", errorType: "not_found", error: 'no upload named "upload:a.log"' });
    await expect(deleteAuditUpload("upload:a.log")).rejects.toMatchObject({ kind: "not_found", message: 'no upload named "upload:a.log"' });
  });

  it("say the apiscope server is unreachable when the request itself fails", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(fetchStatus()).rejects.toMatchObject({ kind: "network", message: "apiscope server unreachable — is it still running?" });
  });
});
