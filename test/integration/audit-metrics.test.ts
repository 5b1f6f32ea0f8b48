// Per-client audit metrics scraped by a real Prometheus: hostile client names arrive verbatim as label values,
// only the busiest clients get a label (the rest is "other"), counters only go up, and the latency histogram is
// usable by histogram_quantile.
import { createServer, type Server } from "node:http";
import { appendFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATENCY_BUCKETS, OTHER } from "@/lib/audit/client-metrics";
import { renderExposition } from "@/lib/metrics/exposition";
import { startPrometheus, type RunningPrometheus } from "@/scripts/lib/prometheus";
import { waitFor } from "@/scripts/lib/ports";
import { auditEvent } from "@/test/support/audit-events";
import { jq, openAudit, tempDir, type AuditHarness } from "@/test/support/audit-harness";
import { JQ_AUDIT_LIB } from "@/test/support/audit-jq";

const MAX_CLIENTS = 3;
/** User agents (no spaces, as client-go writes them) whose products are hostile label values. */
const AGENTS: Array<[userAgent: string, requests: number]> = [
  ['evil"}\nfake_metric{a="b/v1.0.0', 50],
  ["C:\\agent\\bin\\/v2 (windows/amd64) kubernetes/abc123/dumper", 40],
  ["ünïcødé-agent/0.1", 30],
  ["kubectl/v1.31.0", 5],
  ["helm/v3.16", 2],
];

let tmp: ReturnType<typeof tempDir>;
let h: AuditHarness;
let server: Server;
let prometheus: RunningPrometheus;
let seq = 0;

function lines(requests: Array<[string, number]>): string {
  return `${requests
    .map(([userAgent, latency]) => {
      const e = auditEvent(seq++, { userAgent });
      const received = Date.parse(e.requestReceivedTimestamp as string);
      return JSON.stringify({ ...e, stageTimestamp: new Date(received + latency * 1000).toISOString() });
    })
    .join("\n")}\n`;
}

/** Appends one request per [user agent, latency] pair to the followed log, and reads it. */
async function append(requests: Array<[string, number]>): Promise<void> {
  appendFileSync(live(), lines(requests));
  await h.svc.pollFiles();
}

const live = () => path.join(tmp.dir, "audit.log");

async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
    status: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  expect(body.status).toBe("success");
  return body.data.result;
}

/** Waits until Prometheus has scraped `total` requests, then returns the requests per client label. */
async function scrapedByClient(total: number): Promise<Record<string, number>> {
  await waitFor(async () => Number((await query("sum(apiscope_audit_requests_total)"))[0]?.value[1]) === total, `${total} requests scraped`, 20_000);
  const rows = await query("sum by (client) (apiscope_audit_requests_total)");
  return Object.fromEntries(rows.map((r) => [r.metric.client!, Number(r.value[1])]));
}

/** The client each user agent names, as jq derives it. */
const clientOf = (userAgent: string) => jq<string>(`${JQ_AUDIT_LIB} client`, [], { input: JSON.stringify({ userAgent }) });

beforeAll(async () => {
  tmp = tempDir("audit-metrics");
  writeFileSync(live(), "");
  h = await openAudit({ files: [live()], env: { APISCOPE_METRICS_MAX_CLIENTS: String(MAX_CLIENTS) } });
  server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(renderExposition(h.svc.metrics.families()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  prometheus = await startPrometheus({ dir: path.join(tmp.dir, "prometheus"), scrapeJobs: [{ job: "apiscope", targets: [`127.0.0.1:${port}`], intervalSeconds: 1 }] });
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
  tmp?.cleanup();
});

describe("per-client audit metrics in Prometheus", () => {
  const latencyOf = (i: number) => [0.003, 0.08, 0.7, 2.5, 30][i % 5]!;
  const first = AGENTS.flatMap(([ua, n]) => Array.from({ length: n }, (_, i): [string, number] => [ua, latencyOf(i)]));

  it("labels the busiest clients with their names, verbatim, and the rest as other", async () => {
    await append(first);
    const expected: Record<string, number> = {};
    for (const [i, [ua, n]] of AGENTS.entries()) {
      const label = i < MAX_CLIENTS ? clientOf(ua) : OTHER;
      expected[label] = (expected[label] ?? 0) + n;
    }
    expect(Object.keys(expected)).toContain('evil"}\nfake_metric{a="b');
    expect(Object.keys(expected)).toContain("C:\\agent\\bin\\/dumper");
    expect(await scrapedByClient(first.length)).toEqual(expected);
  });

  it("only ever adds: a client busier than all others arriving later is counted as other", async () => {
    const before = await scrapedByClient(first.length);
    await append(Array.from({ length: 500 }, (): [string, number] => ["late-flood/v1", 0.01]));
    const after = await scrapedByClient(first.length + 500);
    expect(after).toEqual({ ...before, [OTHER]: before[OTHER]! + 500 });
    expect(await query("resets(apiscope_audit_requests_total[5m]) > 0")).toEqual([]);
  });

  it("leaves uploaded logs out: they are past incidents, not live traffic an alert should see", async () => {
    const file = path.join(tmp.dir, "last-month.log");
    writeFileSync(file, lines(Array.from({ length: 200 }, (): [string, number] => ["kubelet/v1.31.0", 0.01])));
    const outcome = await h.svc.ingestUpload(file, "last-month.log");
    expect(outcome.accepted).toBe(200);
    // A later append proves a scrape after the upload: the upload's 200 never show up.
    await append([["kubectl/v1.31.0", 0.01]]);
    expect(Object.values(await scrapedByClient(first.length + 501)).reduce((a, b) => a + b, 0)).toBe(first.length + 501);
  });

  it("exposes cumulative latency buckets that histogram_quantile reads", async () => {
    const all = [...first.map(([, l]) => l), ...Array.from({ length: 501 }, () => 0.01)];
    const rows = await query("sum by (le) (apiscope_audit_request_duration_seconds_bucket)");
    const byLe = Object.fromEntries(rows.map((r) => [r.metric.le!, Number(r.value[1])]));
    for (const le of LATENCY_BUCKETS) expect(byLe[String(le)], `le=${le}`).toBe(all.filter((l) => l <= le).length);
    expect(byLe["+Inf"]).toBe(all.length);
    // The median request took 0.01 s: it lies in the (0.005, 0.025] bucket.
    const [p50] = await query("histogram_quantile(0.5, sum by (le) (apiscope_audit_request_duration_seconds_bucket))");
    expect(Number(p50!.value[1])).toBeGreaterThan(0.005);
    expect(Number(p50!.value[1])).toBeLessThanOrEqual(0.025);
  });
});
