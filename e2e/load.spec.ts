// "Who is loading the API server" on the demo scenario (a real Prometheus and the scenario's audit log): the
// culprit card names the telemetry agent with its evidence, grouping and filters live in the URL, the CSV is the
// table, and a hostile user agent is shown as text.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startApp } from "@/scripts/lib/app";
import { freePort } from "@/scripts/lib/ports";
import { scenarioAppEnv } from "@/scripts/lib/scenario-prometheus";
import type { Page } from "@playwright/test";
import { auditLogStored, expect, incidentWindow, scenarioWindow, test } from "./fixtures";
import { E2E_WEBHOOK_TOKEN } from "./global-setup";

async function tableReady(page: Page) {
  await expect(page.locator('[data-panel="load-table"]')).toHaveAttribute("data-state", "ready");
  await expect(page.locator('[data-panel="load-table"] [aria-label="refreshing"]')).toHaveCount(0);
}

test("the culprit card names the telemetry agent, its fan-out over every node and its missing resourceVersion=0", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  await page.goto(`/load?${incidentWindow(state)}`);
  const card = page.getByTestId("culprit-card");
  await expect(card).toHaveAttribute("data-kind", "jump");
  await expect(card.getByTestId("culprit-client")).toHaveText(state.scenario.culprit.client);
  await expect(card.getByTestId("culprit-sources")).toHaveText(String(state.scenario.culprit.fanOut));
  await expect(card.getByTestId("culprit-shape").first()).toContainText(`${state.scenario.culprit.fanOut} sources × LIST pods cluster-wide every`);
  await expect(card.getByTestId("culprit-users")).toHaveText(`Sent as ${state.scenario.culprit.username} (100%)`);
  await expect(card.getByTestId("culprit-hygiene")).toContainText("100% of");
  await expect(card.getByTestId("culprit-hygiene")).toContainText("LISTs without resourceVersion=0");
  // The same in the panels below: its fan-out row and its LIST-hygiene finding.
  await expect(page.locator(`[data-testid="fanout-table"] tr[data-client="${state.scenario.culprit.client}"]`).first()).toHaveAttribute(
    "data-sources",
    String(state.scenario.culprit.fanOut),
  );
  // Beside it, what Prometheus says about the same window.
  await expect(page.locator('[data-panel="top-requests"]')).toHaveAttribute("data-state", "ready");
  await expect(page.locator('[data-panel="apf-flow-schemas"]')).toHaveAttribute("data-state", "ready");
  const hygiene = page.locator(`[data-testid="hygiene-table"] tr[data-client="${state.scenario.culprit.client}"]`);
  await expect(hygiene.getByTestId("no-rv0")).toHaveText("100%");
  await expect(hygiene.locator('[data-finding="no_rv0"]')).toContainText("informer");
  // The treemap's biggest tile is the culprit: a click filters by it.
  await expect(page.locator('[data-panel="treemap"]')).toHaveAttribute("data-state", "ready");
  await expect(page.getByTestId("treemap").locator("g > title").first()).toContainText(`${state.scenario.culprit.client}:`);
  await page.getByTestId("treemap").locator("g").first().click({ position: { x: 6, y: 6 } }); // its header, above the nested tiles
  await expect(page).toHaveURL(new RegExp(`client=${encodeURIComponent(state.scenario.culprit.client)}`));
  await page.goBack();
  await expect(page).not.toHaveURL(/client=/);
  // Drill down: the raw requests of the culprit.
  await card.getByRole("button", { name: "Drill down" }).click();
  await expect(page).toHaveURL(new RegExp(`client=${encodeURIComponent(state.scenario.culprit.client)}`));
  const firstEvent = page.getByTestId("events-table").locator("tbody tr").first();
  await expect(firstEvent).toContainText(state.scenario.culprit.client);
  await firstEvent.click();
  await expect(page.getByTestId("event-detail")).toContainText(state.scenario.culprit.userAgent);
});

test("grouping and filters change the URL; the reloaded URL shows the same view; back undoes a filter", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  await page.goto(`/load?${incidentWindow(state)}`);
  await tableReady(page);
  await page.getByTestId("selection-bar").getByRole("button", { name: "client → verb → resource" }).click();
  await expect(page).toHaveURL(/group=client%2Cverb%2Cresource/);
  await tableReady(page);
  const table = page.getByTestId("breakdown-table");
  await expect(table.locator("thead th").nth(2)).toHaveText("Resource");
  // Filter by the verb of the busiest row.
  const verb = (await table.locator("tbody tr").first().locator("td").nth(1).innerText()).trim();
  await table.locator("tbody tr").first().locator("td").nth(1).getByRole("button").click();
  await expect(page).toHaveURL(new RegExp(`verb=${verb}`));
  await tableReady(page);
  const shown = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.textContent));
  for (const cells of await table.locator("tbody tr:not([data-row=other]) td:nth-child(2)").allInnerTexts()) expect(cells.trim()).toBe(verb);

  await page.reload();
  await tableReady(page);
  await expect(page.locator(`[data-filter="verb"]`)).toContainText(verb);
  expect(await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.textContent))).toEqual(shown);

  await page.goBack();
  await expect(page).not.toHaveURL(/verb=/);
  await expect(page.locator(`[data-filter="verb"]`)).toHaveCount(0);
});

test("the CSV download holds exactly the rows of the table, in the order shown", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  await page.goto(`/load?${incidentWindow(state)}&group=client,verb`);
  await tableReady(page);
  const table = page.getByTestId("breakdown-table");
  await table.getByRole("button", { name: "Sources" }).click(); // sort by distinct sources
  await expect(table.locator('th[aria-sort="descending"]')).toContainText("Sources");
  const rows = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent?.trim() ?? "")),
  );
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^apiscope-client-verb-.*\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
  expect(lines[0]).toBe("client,verb,requests,rate_per_second,share,errors_5xx,throttled_429,p50_seconds,p99_seconds,distinct_sources");
  expect(lines).toHaveLength(rows.length + 1);
  rows.forEach((cells, i) => {
    const csv = lines[i + 1]!.split(",");
    if (cells.length === 1 + 9) expect(csv.slice(0, 2)).toEqual(["other", ""]); // "other" spans the key columns
    else expect(csv.slice(0, 2)).toEqual(cells.slice(0, 2));
    const requests = cells.at(-9)!.replaceAll(",", "");
    const sources = cells.at(-2)!.replaceAll(",", "");
    expect([csv[2], csv[9]]).toEqual([requests, sources]);
  });
});

test("a hostile user agent is shown as text, never run, and a 10 KB one is shortened", async ({ page, request }) => {
  const hostileAgent = "<img src=x onerror=alert(1)>"; // its client name is its first token: "<img"
  const hostileUser = "<img src=y onerror=alert(2)>";
  const hugeAgent = `${"A".repeat(10_000)} (linux/amd64)`;
  const hugeClient = "A".repeat(200); // client names keep at most 200 characters
  const now = Date.now();
  const items = [hostileAgent, hugeAgent].map((userAgent, i) => ({
    auditID: `hostile-${now}-${i}`,
    stage: "ResponseComplete",
    requestURI: "/api/v1/namespaces/default/pods?limit=1",
    verb: "list",
    user: { username: i === 0 ? hostileUser : "long-agent" },
    sourceIPs: ["192.0.2.66"],
    userAgent,
    objectRef: { resource: "pods", namespace: "default", apiVersion: "v1" },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: new Date(now - 20).toISOString(),
    stageTimestamp: new Date(now).toISOString(),
  }));
  const stored = await request.post("/api/audit/webhook", {
    data: { kind: "EventList", apiVersion: "audit.k8s.io/v1", metadata: {}, items },
    headers: { Authorization: `Bearer ${E2E_WEBHOOK_TOKEN}` },
  });
  expect((await stored.json()).data).toMatchObject({ accepted: 2 });
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/load?from=now-15m&to=now&group=client,user&client=${encodeURIComponent("<img")}&client=${hugeClient}`);
  await tableReady(page);
  const table = page.getByTestId("breakdown-table");
  await expect(table.getByText("<img", { exact: true })).toBeVisible();
  await expect(table.getByText(hostileUser, { exact: true })).toBeVisible();
  await expect(page.locator('[data-filter="client"]').first()).toContainText("<img");
  // The long one is shortened, the whole of it on hover.
  await expect(table.locator(`span[title="${hugeClient}"]`)).toHaveText(`${"A".repeat(59)}…`);
  // The whole user agent, in the drill-down.
  const row = page.getByTestId("events-table").locator("tbody tr", { hasText: hostileUser }).first();
  await row.click();
  await expect(page.getByTestId("event-detail")).toContainText(hostileAgent);
  await expect(page.locator("img[src=x], img[src=y]")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("without audit logs the page works on Prometheus alone and says how to add them", async ({ page, state }) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "apiscope-no-audit-"));
  const app = await startApp({ port: await freePort(), env: { ...scenarioAppEnv(state.prometheus.url), APISCOPE_DATA_DIR: dataDir }, quiet: true });
  try {
    await page.goto(`${app.url}/load?${incidentWindow(state)}`);
    await expect(page.getByRole("status").filter({ hasText: "No audit events stored" })).toContainText("APISCOPE_AUDIT_FILES");
    await expect(page.locator('[data-panel="top-requests"]')).toHaveAttribute("data-state", "ready");
    await expect(page.locator('[data-panel="apf-flow-schemas"]')).toHaveAttribute("data-state", "ready");
    for (const id of ["load-table", "fanout", "list-hygiene", "events"]) await expect(page.locator(`[data-panel="${id}"]`)).toHaveAttribute("data-state", "empty");
    await expect(page.getByTestId("culprit-card")).toHaveCount(0);
  } finally {
    await app.stop();
  }
});

test("the demo's printed link: the nav keeps the window, and Load names the telemetry agent from the change inside it", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  const window = scenarioWindow(state);
  await page.goto(`/?${window}`);
  // Every page link carries the window in view.
  for (const id of ["nav-load", "nav-webhooks", "nav-apf", "nav-alerts"]) {
    const href = await page.getByTestId(id).getAttribute("href");
    expect(new URLSearchParams(href!.split("?")[1]).toString(), id).toBe(window);
  }
  await page.getByTestId("nav-load").click();
  await expect(page).toHaveURL(new RegExp(`/load\\?${window}$`));
  const card = page.getByTestId("culprit-card");
  // Nothing is stored before the scenario: the card compares inside the window, and says so.
  await expect(card).toHaveAttribute("data-kind", "change");
  await expect(card.getByTestId("culprit-client")).toHaveText(state.scenario.culprit.client);
  await expect(card.getByTestId("culprit-headline")).toContainText("It appeared at");
  await expect(card.getByTestId("culprit-headline")).toContainText("Nothing is stored before this window");
  await expect(card.getByTestId("culprit-cost-share")).toHaveText(/^\d+% \/ 0%$/);
});
