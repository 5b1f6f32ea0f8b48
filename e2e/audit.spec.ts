// The audit pipeline through the production server: the scenario's log followed from its file, uploads with bad
// lines, the webhook with and without its token, and per-client metrics scraped by a real Prometheus.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, waitFor } from "@/scripts/lib/ports";
import { startPrometheus } from "@/scripts/lib/prometheus";
import type { APIRequestContext } from "@playwright/test";
import { auditLogStored, expect, test } from "./fixtures";
import { E2E_WEBHOOK_TOKEN } from "./global-setup";

const ALL_TIME = "from=now-30d&to=now";

async function stored(request: APIRequestContext): Promise<number> {
  const { data } = await (await request.get("/api/audit/status")).json();
  return data.store.requests;
}

test("the scenario's audit log is followed from its file and names the telemetry agent as the top client", async ({ page, request, state }) => {
  // The follower works in the background: every completed request of the log is stored, once.
  await auditLogStored(request, state);
  // Once its rollout is complete, the telemetry agent is the busiest client.
  const incident = `from=${state.scenario.incident.rolloutEndUnixSeconds * 1000}&to=${state.scenario.window.endUnixSeconds * 1000 + 1}`;
  const { data } = await (await request.get(`/api/audit/breakdown?${incident}&group=client&top=3`)).json();
  expect(data.rows[0].keys).toEqual([state.scenario.culprit.client]);
  await page.goto("/audit");
  await expect(page.locator('[data-source^="file:"]')).toContainText("audit.log");
});

test("an uploaded log with bad lines keeps the valid events and shows why the rest was skipped", async ({ page, request }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "apiscope-upload-"));
  const now = Date.now();
  const event = (id: string, ua: string) =>
    JSON.stringify({
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      auditID: id,
      stage: "ResponseComplete",
      requestURI: "/api/v1/namespaces/default/configmaps",
      verb: "list",
      user: { username: "uploader@example.com", groups: ["system:authenticated"] },
      sourceIPs: ["192.0.2.10"],
      userAgent: ua,
      objectRef: { resource: "configmaps", namespace: "default", apiVersion: "v1" },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: new Date(now - 2000).toISOString(),
      stageTimestamp: new Date(now - 1000).toISOString(),
    });
  const lines = [
    event("up-1", "uploader/v1.0.0"),
    '{"auditID": "up-2", "verb": "li',
    "not json",
    event("up-3", "uploader/v1.0.0"),
    JSON.stringify({ auditID: "up-4", verb: "get" }),
  ];
  const file = path.join(dir, "exported-audit.log");
  writeFileSync(file, lines.join("\n") + "\n");
  await page.goto("/audit");
  await page.getByLabel("Audit log file").setInputFiles(file);
  const result = page.getByTestId("upload-result");
  await expect(result).toContainText("2 requests stored");
  await expect(result).toContainText("2 skipped: not valid JSON");
  await expect(result).toContainText("1 skipped: a required field is missing");
  const source = page.locator('[data-source="upload:exported-audit.log"]');
  await source.getByTestId("skipped-total").click();
  await expect(source.locator('[data-reason="invalid_json"]')).toContainText("line 2:");
  await expect(source.locator('[data-reason="missing_field"]')).toContainText("stage");
  const { data } = await (await request.get(`/api/audit/breakdown?${ALL_TIME}&group=client&client=uploader`)).json();
  expect(data.rows[0]).toMatchObject({ keys: ["uploader"], requests: 2 });
});

test("the audit webhook stores an EventList only with the right bearer token", async ({ request }) => {
  const body = {
    kind: "EventList",
    apiVersion: "audit.k8s.io/v1",
    metadata: {},
    items: [1, 2, 3].map((i) => ({
      level: "Metadata",
      auditID: `wh-${Date.now()}-${i}`,
      stage: "ResponseComplete",
      requestURI: "/api/v1/nodes",
      verb: "list",
      user: { username: "webhook-tester" },
      sourceIPs: ["192.0.2.20"],
      userAgent: "webhook-tester/v1",
      objectRef: { resource: "nodes", apiVersion: "v1" },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: new Date(Date.now() - 500).toISOString(),
      stageTimestamp: new Date().toISOString(),
    })),
  };
  expect((await request.post("/api/audit/webhook", { data: body })).status()).toBe(401);
  expect((await request.post("/api/audit/webhook", { data: body, headers: { Authorization: "Bearer wrong" } })).status()).toBe(401);
  const ok = await request.post("/api/audit/webhook", { data: body, headers: { Authorization: `Bearer ${E2E_WEBHOOK_TOKEN}` } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).data).toMatchObject({ accepted: 3, skipped: 0 });
  const { data } = await (await request.get(`/api/audit/breakdown?${ALL_TIME}&group=client&client=webhook-tester`)).json();
  expect(data.rows[0]).toMatchObject({ keys: ["webhook-tester"], requests: 3 });
  // A retried batch (kube-apiserver resends on failure) is not counted twice.
  const again = await request.post("/api/audit/webhook", { data: body, headers: { Authorization: `Bearer ${E2E_WEBHOOK_TOKEN}` } });
  expect((await again.json()).data).toMatchObject({ accepted: 0, reasons: { duplicate: 3 } });
});

test("a real Prometheus scrapes the per-client metrics and sums them by client", async ({ request, state }) => {
  test.setTimeout(90_000);
  await expect.poll(async () => (await stored(request)) > 0, { timeout: 30_000 }).toBe(true);
  const app = new URL(state.appUrl);
  const dir = mkdtempSync(path.join(tmpdir(), "apiscope-scrape-"));
  const prom = await startPrometheus({ dir, port: await freePort(), scrapeJobs: [{ job: "apiscope", targets: [app.host], intervalSeconds: 1 }] });
  try {
    const query = async (q: string) => {
      const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`);
      return ((await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
    };
    await waitFor(async () => (await query("apiscope_audit_requests_total")).length > 0, "the first scrape of /metrics", 30_000);
    const culprit = state.scenario.culprit.client;
    const [fromPrometheus] = await query(`sum by (client) (apiscope_audit_requests_total{client=${JSON.stringify(culprit)},verb="list"})`);
    const { data } = await (await request.get(`/api/audit/breakdown?${ALL_TIME}&group=verb&client=${encodeURIComponent(culprit)}&verb=list`)).json();
    expect(data.rows[0].keys).toEqual(["list"]);
    expect(Number(fromPrometheus!.value[1])).toBe(data.rows[0].requests);
    const lists = await query(`sum(apiscope_audit_lists_without_rv0_total{client=${JSON.stringify(culprit)}})`);
    expect(Number(lists[0]!.value[1])).toBeGreaterThan(0);
  } finally {
    await prom.stop();
  }
});
