// The audit pipeline through the production server: the scenario's log followed from its file, uploads with bad
// lines, the webhook with and without its token, and per-client metrics scraped by a real Prometheus.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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

test("a log exported 40 days ago is uploaded, broken down on the Load page for its window, and deleted from the Audit logs page", async ({ page, request }) => {
  // Uploads are analysed whatever their age: retention (7 days here) applies only to what is followed or received live.
  const dir = mkdtempSync(path.join(tmpdir(), "apiscope-postmortem-"));
  const stamp = Date.now();
  const at = stamp - 40 * 86_400_000;
  const client = `postmortem-${stamp}`;
  const name = `incident-${stamp}.log`;
  const source = `upload:${name}`;
  const lines = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: "Metadata",
      auditID: `pm-${stamp}-${i}`,
      stage: "ResponseComplete",
      requestURI: i % 3 === 0 ? "/api/v1/namespaces/default/secrets" : `/api/v1/namespaces/default/secrets/s-${i}`,
      verb: i % 3 === 0 ? "list" : "get",
      user: { username: "system:serviceaccount:tools:postmortem", groups: ["system:serviceaccounts", "system:authenticated"] },
      sourceIPs: ["192.0.2.40"],
      userAgent: `${client}/v2.1.0 (linux/amd64) kubernetes/abc1234`,
      objectRef: { resource: "secrets", namespace: "default", apiVersion: "v1", ...(i % 3 === 0 ? {} : { name: `s-${i}` }) },
      responseStatus: { metadata: {}, code: 200 },
      requestReceivedTimestamp: new Date(at + i * 60_000 - 40).toISOString(),
      stageTimestamp: new Date(at + i * 60_000).toISOString(),
    }),
  );
  const file = path.join(dir, name);
  writeFileSync(file, lines.join("\n") + "\n");
  await page.goto("/audit");
  await page.getByLabel("Audit log file").setInputFiles(file);
  await expect(page.getByTestId("upload-result")).toContainText("12 requests stored");
  await expect(page.getByTestId("upload-result")).not.toContainText("skipped");
  const row = page.locator(`[data-source="${source}"]`);
  await expect(row.getByTestId("stored")).toHaveText("12");
  await expect(row).toContainText("kept until deleted");

  // The Load page, for a window around those dates, breaks it down.
  const window = `from=${at - 3600_000}&to=${at + 3600_000}`;
  await page.goto(`/load?${window}&group=client,verb&client=${encodeURIComponent(client)}`);
  const table = page.getByTestId("breakdown-table");
  await expect(page.locator('[data-panel="load-table"]')).toHaveAttribute("data-state", "ready");
  await expect
    .poll(async () => table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).slice(0, 3).map((td) => td.textContent?.trim()))))
    .toEqual([
      [client, "get", "8"],
      [client, "list", "4"],
    ]);
  const { data: before } = await (await request.get(`/api/audit/breakdown?${window}&group=client&client=${encodeURIComponent(client)}`)).json();
  expect(before.rows).toEqual([expect.objectContaining({ keys: [client], requests: 12 })]);

  // Deleted from the Audit logs page, after a confirmation: its row goes, and no view counts it any more.
  await page.goto("/audit");
  await row.getByRole("button", { name: `Delete ${source}` }).click();
  const confirm = row.getByRole("alertdialog");
  await expect(confirm).toContainText("its 12 requests");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByRole("alertdialog")).toHaveCount(0);
  await row.getByRole("button", { name: `Delete ${source}` }).click();
  await row.getByRole("alertdialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(row).toHaveCount(0);
  const { data: after } = await (await request.get(`/api/audit/breakdown?${window}&group=client&client=${encodeURIComponent(client)}`)).json();
  expect(after.rows).toEqual([]);
  const { data: status } = await (await request.get("/api/audit/status")).json();
  expect(status.sources.map((s: { source: string }) => s.source)).not.toContain(source);
  await page.goto(`/load?${window}&group=client,verb&client=${encodeURIComponent(client)}`);
  await expect(page.locator('[data-panel="load-table"]')).toHaveAttribute("data-state", "empty");
  // Deleting it again: there is nothing left of it.
  expect((await request.delete(`/api/audit/upload?source=${encodeURIComponent(source)}`)).status()).toBe(404);
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
  expect((await request.post("/api/audit/webhook", { data: body, headers: { Authorization: `Basic ${E2E_WEBHOOK_TOKEN}` } })).status()).toBe(401);
  const ok = await request.post("/api/audit/webhook", { data: body, headers: { Authorization: `Bearer ${E2E_WEBHOOK_TOKEN}` } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).data).toMatchObject({ accepted: 3, skipped: 0 });
  const { data } = await (await request.get(`/api/audit/breakdown?${ALL_TIME}&group=client&client=webhook-tester`)).json();
  expect(data.rows[0]).toMatchObject({ keys: ["webhook-tester"], requests: 3 });
  // A retried batch (kube-apiserver resends on failure) is not counted twice; the auth scheme is case-insensitive.
  const again = await request.post("/api/audit/webhook", { data: body, headers: { Authorization: `bearer ${E2E_WEBHOOK_TOKEN}` } });
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

test.describe("cross-site requests", () => {
  // The browser logs the refusals it is answered.
  test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 403/] });

  test("a page on another site cannot store audit events or delete uploads through a visitor's browser", async ({ page, request, state }) => {
    const sourcesNamed = async (name: string) => {
      const { data } = await (await request.get("/api/audit/status")).json();
      return (data.sources as Array<{ source: string }>).filter((s) => s.source === `upload:${name}`).length;
    };
    const line = JSON.stringify({
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      auditID: "csrf-1",
      stage: "ResponseComplete",
      requestURI: "/api/v1/pods",
      verb: "list",
      user: { username: "attacker" },
      userAgent: "forged/1.0",
      objectRef: { resource: "pods", apiVersion: "v1" },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: new Date(Date.now() - 2000).toISOString(),
      stageTimestamp: new Date(Date.now() - 1000).toISOString(),
    });
    // A page of another site on the same machine (localhost is another site than 127.0.0.1) posts as a form would:
    // no preflight, the visitor's access.
    const other = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>elsewhere</title>"));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherSite = `http://localhost:${(other.address() as AddressInfo).port}`;
    await page.goto(otherSite);
    const answered: number[] = [];
    page.on("response", (r) => r.url().startsWith(`${state.appUrl}/api/audit/`) && answered.push(r.status()));
    await page.evaluate(async ({ url, body }) => {
      await fetch(`${url}/api/audit/upload?name=forged.log`, { method: "POST", mode: "no-cors", body }).catch(() => undefined);
      await fetch(`${url}/api/audit/webhook`, { method: "POST", mode: "no-cors", body: `{"kind":"EventList","items":[${body}]}` }).catch(() => undefined);
    }, { url: state.appUrl, body: line });
    other.close();
    expect(answered).toEqual([403, 403]);
    expect(await sourcesNamed("forged.log")).toBe(0);
    // What such a request is answered: refused, and said why.
    const refused = await request.post("/api/audit/upload?name=forged.log", { data: line, headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ status: "error", errorType: "forbidden" });
    const deleted = await request.delete("/api/audit/upload?source=upload%3Aforged.log", { headers: { Origin: "https://evil.example" } });
    expect(deleted.status()).toBe(403);
  });
});
