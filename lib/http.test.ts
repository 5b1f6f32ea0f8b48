import { afterEach, describe, expect, it, vi } from "vitest";
import { badRequest, errorResponse, fail, HttpError, ok, refuseCrossSite } from "./http";

describe("the JSON envelope", () => {
  afterEach(() => vi.restoreAllMocks());

  it("carries a success's data, never cached", async () => {
    const res = ok({ rows: [] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "success", data: { rows: [] } });
    expect(await ok(null).json()).toEqual({ status: "success", data: null });
  });

  it("carries a failure's type and message with its HTTP status and headers", async () => {
    const res = fail("overloaded", "ingest queue full, retry later", 429, { "Retry-After": "1" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "error", errorType: "overloaded", error: "ingest queue full, retry later" });
    const bad = badRequest("width must be a whole number");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ status: "error", errorType: "bad_request", error: "width must be a whole number" });
  });

  it("answers known failures as they are and hides unexpected ones", async () => {
    const known = errorResponse(new HttpError("too_many_series", "narrow it", 422));
    expect(known.status).toBe(422);
    expect(await known.json()).toEqual({ status: "error", errorType: "too_many_series", error: "narrow it" });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hidden = errorResponse(new Error("SELECT secret FROM …"));
    expect(hidden.status).toBe(500);
    expect(await hidden.json()).toEqual({ status: "error", errorType: "internal", error: "internal error — see the apiscope server log" });
  });
});

describe("state-changing requests from other sites", () => {
  const req = (headers: Record<string, string>) => new Request("http://apiscope.example:3000/api/audit/upload", { method: "POST", headers });

  it("are refused when the browser says they come from another site", async () => {
    for (const site of ["cross-site", "same-site"]) {
      const res = refuseCrossSite(req({ "sec-fetch-site": site, host: "apiscope.example:3000" }))!;
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ status: "error", errorType: "forbidden" });
    }
    expect(refuseCrossSite(req({ origin: "https://evil.example", host: "apiscope.example:3000" }))!.status).toBe(403);
    expect(refuseCrossSite(req({ origin: "null", host: "apiscope.example:3000" }))!.status).toBe(403);
    // A matching Origin does not outweigh the browser's own cross-site verdict.
    expect(refuseCrossSite(req({ "sec-fetch-site": "cross-site", origin: "http://apiscope.example:3000", host: "apiscope.example:3000" }))!.status).toBe(403);
  });

  it("go on from apiscope's own pages, a typed URL, and clients that are not browsers", () => {
    expect(refuseCrossSite(req({ "sec-fetch-site": "same-origin", host: "apiscope.example:3000" }))).toBeNull();
    expect(refuseCrossSite(req({ "sec-fetch-site": "none" }))).toBeNull();
    expect(refuseCrossSite(req({ origin: "http://apiscope.example:3000", host: "apiscope.example:3000" }))).toBeNull();
    // Behind a reverse proxy the browser's host is the forwarded one.
    expect(refuseCrossSite(req({ origin: "https://apiscope.corp", host: "10.0.0.5:3000", "x-forwarded-host": "apiscope.corp" }))).toBeNull();
    expect(refuseCrossSite(req({}))).toBeNull();
  });
});
