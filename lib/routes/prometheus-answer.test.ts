import { describe, expect, it } from "vitest";
import { badWindow, prometheusAnswer } from "./prometheus-answer";

describe("answers computed from Prometheus", () => {
  it("are the envelope's data, a not-covered answer included", async () => {
    const panel = { status: "ok", kind: "bar", bars: [] };
    const res = prometheusAnswer(panel);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "success", data: panel });
    const notCovered = prometheusAnswer({ status: "not-covered", message: "This Prometheus has no APF metrics" });
    expect(notCovered.status).toBe(200);
    expect(await notCovered.json()).toEqual({ status: "success", data: { status: "not-covered", message: "This Prometheus has no APF metrics" } });
  });

  it("become the envelope's failure when they say the query failed: the error kind, its message and HTTP status", async () => {
    const cases = [
      ["unreachable", 502],
      ["timeout", 504],
      ["bad_query", 400],
      ["too_many_series", 422],
      ["too_many_samples", 422],
      ["auth", 502],
      ["upstream", 502],
      ["bad_request", 400],
    ] as const;
    for (const [kind, status] of cases) {
      const res = prometheusAnswer({ status: "error", kind, message: `failed: ${kind}` });
      expect(res.status, kind).toBe(status);
      expect(await res.json(), kind).toEqual({ status: "error", errorType: kind, error: `failed: ${kind}` });
    }
  });

  it("refuse a window that is not a time reference", async () => {
    expect(badWindow(new URLSearchParams("from=now-1h&to=now"))).toBeNull();
    expect(badWindow(new URLSearchParams(""))).toBeNull();
    const bad = badWindow(new URLSearchParams("from=now-1h&to=yesterday"))!;
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ status: "error", errorType: "bad_request", error: 'to must be "now", "now-<duration>" such as now-1h, or epoch milliseconds' });
  });
});
