// The Prometheus gateway against a real Prometheus: aligned steps, coalescing, caching and error mapping,
// counted in Prometheus' own query log.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrometheusClient } from "@/lib/prometheus/client";
import { PrometheusError } from "@/lib/prometheus/errors";
import { createGateway } from "@/lib/prometheus/gateway";
import { planRange } from "@/lib/prometheus/step";
import { freePort, waitFor } from "@/scripts/lib/ports";
import { startPrometheus, type RunningPrometheus } from "@/scripts/lib/prometheus";
import { testConfig } from "../support/config";
import { loggedQueries } from "../support/query-log";

let prom: RunningPrometheus;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "apiscope-gw-"));
  const port = await freePort();
  // Prometheus scraping itself gives real series to query; a tiny sample limit lets us hit it on purpose.
  prom = await startPrometheus({
    dir,
    port,
    scrapeJobs: [{ job: "prometheus", targets: [`127.0.0.1:${port}`], intervalSeconds: 1 }],
    extraArgs: ["--query.max-samples=5000"],
  });
  await waitFor(async () => {
    const r = await fetch(`${prom.url}/api/v1/query?query=count_over_time(up[1m])`);
    const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
    return Number(body.data.result[0]?.value[1] ?? 0) >= 3;
  }, "three self-scrapes");
});

afterAll(async () => {
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const gatewayFor = (url: string, env: Record<string, string> = {}, ttlMs = 60_000) =>
  createGateway(createPrometheusClient(testConfig(url, env).prometheus), { ttlMs });

const countLogged = (query: string) => loggedQueries(prom.queryLogPath).filter((q) => q.query === query).length;

/**
 * SIGSTOP reaches a process's threads asynchronously: on a loaded machine one of them can still answer a request
 * after kill() returns. Waits until every thread is stopped.
 */
async function allThreadsStopped(pid: number): Promise<void> {
  const stopped = () =>
    readdirSync(`/proc/${pid}/task`).every((t) => /^State:\s+T/m.test(readFileSync(`/proc/${pid}/task/${t}/status`, "utf8")));
  await waitFor(async () => stopped(), `Prometheus (pid ${pid}) stopped`);
}

describe("Prometheus gateway", () => {
  it("coalesces concurrent identical range queries into one upstream query", async () => {
    const gw = gatewayFor(prom.url);
    const now = Date.now();
    const plan = planRange(now - 120_000, now, 800, 1);
    const query = 'sum(rate(prometheus_http_requests_total{job="prometheus"}[10s])) # coalesce';
    const results = await Promise.all(
      Array.from({ length: 20 }, () => gw.queryRange(query, plan.startSeconds, plan.endSeconds, plan.stepSeconds)),
    );
    expect(results.every((r) => r === results[0])).toBe(true);
    expect(results[0]!.length).toBe(1);
    expect(gw.upstreamCalls()).toBe(1);
    expect(countLogged(query)).toBe(1);
  });

  it("sends aligned start, end and step, so a slightly later view is the same (cached) query", async () => {
    const gw = gatewayFor(prom.url);
    const now = Date.now();
    const query = "count(up) # aligned";
    for (const shift of [0, 200, 700]) {
      const plan = planRange(now - 600_000 + shift, now + shift, 600, 1);
      await gw.queryRange(query, plan.startSeconds, plan.endSeconds, plan.stepSeconds);
    }
    const logged = loggedQueries(prom.queryLogPath).filter((q) => q.query === query);
    expect(logged.length).toBeLessThanOrEqual(2); // a step boundary may fall between the three
    for (const q of logged) {
      const start = Date.parse(q.start!) / 1000;
      const end = Date.parse(q.end!) / 1000;
      expect(start % q.step!).toBe(0);
      expect(end % q.step!).toBe(0);
    }
  });

  it("asks again once the short cache expires, and never caches failures", async () => {
    const gw = gatewayFor(prom.url, {}, 150);
    const query = "count(up) # ttl";
    const t = Math.floor(Date.now() / 1000);
    await gw.queryInstant(query, t);
    await gw.queryInstant(query, t);
    expect(gw.upstreamCalls()).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    await gw.queryInstant(query, t);
    expect(gw.upstreamCalls()).toBe(2);
    await expect(gw.queryInstant("sum(", t)).rejects.toMatchObject({ kind: "bad_query" });
    await expect(gw.queryInstant("sum(", t)).rejects.toMatchObject({ kind: "bad_query" });
    expect(gw.upstreamCalls()).toBe(4);
  });

  it("reports a bad query with Prometheus' own explanation", async () => {
    const err = await gatewayFor(prom.url).queryInstant("sum by (job) (rate(up[5m]", Date.now() / 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect(err).toMatchObject({ kind: "bad_query", message: expect.stringMatching(/^Bad query: .*parse error/) });
  });

  it("reports too many samples", async () => {
    // 1 ms steps over the scrapes so far: far beyond the 5,000-sample limit however few scrapes there have been.
    const now = Math.floor(Date.now() / 1000);
    const err = await gatewayFor(prom.url).queryInstant('{job="prometheus"}[1m:1ms]', now).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "too_many_samples", message: expect.stringMatching(/too many samples/) });
  });

  it("reports an unreachable Prometheus with its address", async () => {
    const port = await freePort();
    const err = await gatewayFor(`http://127.0.0.1:${port}`).queryInstant("up", Date.now() / 1000).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "unreachable", message: `Prometheus unreachable at http://127.0.0.1:${port} (connection refused)` });
  });

  it("reports a timeout when Prometheus stops answering", async () => {
    const gw = gatewayFor(prom.url, { APISCOPE_QUERY_TIMEOUT: "1s" });
    prom.process.kill("SIGSTOP"); // a real, hung Prometheus
    try {
      await allThreadsStopped(prom.process.pid!);
      const err = await gw.queryInstant("count(up) # hung", Date.now() / 1000).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: "timeout", message: expect.stringMatching(/did not answer within 1s/) });
    } finally {
      prom.process.kill("SIGCONT");
    }
  });

  it("serves the read-only metadata endpoints", async () => {
    const gw = gatewayFor(prom.url);
    const now = Math.floor(Date.now() / 1000);
    expect(await gw.labelNames(['up{job="prometheus"}'], now - 300, now)).toContain("instance");
    expect(await gw.labelValues("job", [], now - 300, now)).toEqual(["prometheus"]);
    expect((await gw.series(["up"], now - 300, now))[0]).toMatchObject({ __name__: "up", job: "prometheus" });
    expect((await gw.buildInfo()).version).toMatch(/^2\./);
    expect(await gw.metadata("prometheus_http_requests_total", 10)).toHaveProperty("prometheus_http_requests_total");
  });
});
