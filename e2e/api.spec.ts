// apiscope's HTTP API on the production server: read-only Prometheus access, validation, coalescing.
import { loggedQueries } from "@/test/support/query-log";
import { expect, test } from "./fixtures";

test("only read-only Prometheus endpoints exist; nothing else is proxied", async ({ request }) => {
  for (const path of ["admin", "admin%2Ftsdb%2Fsnapshot", "targets", "rules", "write", "status", "..%2F..%2Fadmin", "query%3Furl=http%3A%2F%2Fexample.com"]) {
    const res = await request.get(`/api/prometheus/${path}`);
    expect(res.status(), path).toBe(404);
    expect((await res.json()).error).toMatch(/is not an allowed Prometheus endpoint/);
  }
  expect((await request.get("/api/prometheus/admin/tsdb/snapshot")).status()).toBe(404);
  expect((await request.post("/api/prometheus/query", { form: { query: "up" } })).status()).toBe(405);
  expect((await request.delete("/api/prometheus/query")).status()).toBe(405);
});

test("concurrent identical queries reach Prometheus once", async ({ request, state }) => {
  const end = state.scenario.window.endUnixSeconds;
  const query = `sum by (verb) (rate(apiserver_request_total[2m])) # viewers-${Date.now()}`;
  const url = `/api/prometheus/query_range?query=${encodeURIComponent(query)}&start=${end - 1800}&end=${end}&width=900`;
  const responses = await Promise.all(Array.from({ length: 20 }, () => request.get(url)));
  for (const r of responses) expect(r.status()).toBe(200);
  const bodies = await Promise.all(responses.map((r) => r.json()));
  expect(bodies[0].data.series.length).toBeGreaterThan(3);
  expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  expect(loggedQueries(state.prometheus.queryLogPath).filter((q) => q.query === query)).toHaveLength(1);
});

test("range queries get an aligned step bounded by the requested width", async ({ request, state }) => {
  const end = state.scenario.window.endUnixSeconds;
  const res = await request.get(`/api/prometheus/query_range?query=up&start=${end - 3600 + 7}&end=${end - 3}&width=300`);
  const { data } = await res.json();
  expect(data.stepSeconds).toBe(60);
  expect(data.startSeconds % 60).toBe(0);
  expect(data.endSeconds % 60).toBe(0);
  expect((data.endSeconds - data.startSeconds) / data.stepSeconds).toBeLessThanOrEqual(100);
});

test("errors come back clear: bad query, too many series, invalid parameters", async ({ request, state }) => {
  const end = state.scenario.window.endUnixSeconds;
  const bad = await request.get(`/api/prometheus/query?query=${encodeURIComponent("sum(rate(x[5m])")}`);
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ status: "error", errorType: "bad_query", error: expect.stringMatching(/^Bad query: /) });

  const many = await request.get(`/api/prometheus/query_range?query=${encodeURIComponent('{__name__=~".+"}')}&start=${end - 300}&end=${end}`);
  expect(many.status()).toBe(422);
  expect(await many.json()).toMatchObject({ errorType: "too_many_series" });

  const invalid = await request.get(`/api/prometheus/query_range?query=up&start=10&end=5`);
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error).toMatch(/start must be before end/);

  const panel = await request.get("/api/panels/requests-by-verb?from=yesterday");
  expect(panel.status()).toBe(400);
  expect(await panel.json()).toMatchObject({ status: "error", errorType: "bad_request", error: expect.stringMatching(/^from must be "now"/) });
  const missing = await request.get("/api/panels/no-such-panel");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ status: "error", errorType: "not_found" });
  // A panel the engine cannot answer (a backwards window; Prometheus down or a bad query alike) is the envelope's
  // failure, with the error kind as errorType and its HTTP status.
  const backwards = await request.get(`/api/panels/requests-by-verb?from=${end * 1000}&to=${(end - 3600) * 1000}`);
  expect(backwards.status()).toBe(400);
  expect(await backwards.json()).toMatchObject({ status: "error", errorType: "bad_request", error: expect.stringMatching(/start of the time range must be before its end/) });
});

test("the status endpoint names the Prometheus without credentials", async ({ request, state }) => {
  const { data } = await (await request.get("/api/status")).json();
  expect(data.prometheus).toMatchObject({ url: state.prometheus.url, reachable: true, version: expect.stringMatching(/^2\./) });
});

test("panels answer in the envelope: the panel as data", async ({ request, state }) => {
  const window = `from=${state.scenario.window.startUnixSeconds * 1000}&to=${state.scenario.window.endUnixSeconds * 1000}`;
  const res = await request.get(`/api/panels/requests-by-verb?${window}&width=800`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "success", data: { status: "ok", kind: "timeseries", promql: expect.any(String) } });
});

test("the webhook and APF summaries refuse a bad window and answer a good one", async ({ request, state }) => {
  const window = `from=${state.scenario.incident.startUnixSeconds * 1000}&to=${state.scenario.window.endUnixSeconds * 1000}`;
  for (const path of ["/api/webhooks", "/api/apf/status"]) {
    const bad = await request.get(`${path}?from=yesterday`);
    expect(bad.status(), path).toBe(400);
    expect(await bad.json(), path).toMatchObject({ status: "error", errorType: "bad_request", error: expect.stringMatching(/from must be "now"/) });
    const backwards = await request.get(`${path}?from=${state.scenario.window.endUnixSeconds * 1000}&to=${state.scenario.incident.startUnixSeconds * 1000}`);
    expect(backwards.status(), path).toBe(400);
    const good = await request.get(`${path}?${window}`);
    expect(good.status(), path).toBe(200);
    expect(await good.json(), path).toMatchObject({ status: "success", data: { status: "ok" } });
  }
});

test("what a browser asks for by itself is served: the icon, favicon.ico and the app manifest", async ({ page, request }) => {
  for (const [path, type] of [["/icon.svg", "image/svg+xml"], ["/favicon.ico", "image/"], ["/icon-192.png", "image/png"], ["/manifest.webmanifest", "manifest+json"]] as const) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toContain(type);
    expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
  }
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest.short_name).toBe("apiscope");
  for (const icon of manifest.icons) expect((await request.get(icon.src)).status(), icon.src).toBe(200);
  await page.goto("/audit");
  await expect(page.locator('head link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('head link[rel="icon"][type="image/svg+xml"]')).toHaveAttribute("href", "/icon.svg");
});
