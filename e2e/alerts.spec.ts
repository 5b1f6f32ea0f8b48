// The alert workbench against the scenario's Prometheus: a template backtested over the incident and exported,
// completion from the real Prometheus, syntax errors blocking export, "Alert on this" from a panel and from the
// culprit card, and a shared link reopening the same draft.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Download, Page } from "@playwright/test";
import { parse, parseAllDocuments } from "yaml";
import { alertNameFrom } from "@/lib/alerts/draft-link";
import { validateAgainstSchema, type OpenApiSchema } from "@/lib/export/openapi-validate";
import { auditLogStored, expect, scenarioWindow, test } from "./fixtures";

const CRD = parse(readFileSync(path.resolve("test/fixtures/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml"), "utf8"));
const SCHEMA: OpenApiSchema = CRD.spec.versions.find((v: { name: string }) => v.name === "v1").schema.openAPIV3Schema;

const exportedYaml = async (page: Page) => parseAllDocuments((await page.getByTestId("export-yaml").textContent())!).map((d) => d.toJS());

test("a template backtested over the incident: the threshold changes the verdict, and the export is a valid PrometheusRule", async ({ page, state }) => {
  await page.goto(`/alerts?${scenarioWindow(state)}`);
  await page.getByTestId("template-search").fill("APF rejects");
  await page.getByTestId("add-apf-rejections").click();
  const sentence = page.getByTestId("backtest-sentence");
  await expect(sentence).toHaveAttribute("data-fired", "true");
  await expect(sentence).toContainText(/^Would have fired at .* UTC, \S+ after .+, firing for .*; \d+ series\.$/);
  await expect(page.getByTestId("backtest-timeline").locator('rect[data-state="firing"]').first()).toBeVisible();
  await expect(page.getByTestId("backtest-cost")).toContainText(/^\d[\d,]* evaluations every 30s · 1 upstream query /);

  await page.getByTestId("param-rate").fill("1000000");
  await expect(sentence).toHaveAttribute("data-fired", "false");
  await expect(sentence).toContainText("Would not have fired");
  await expect(page.getByTestId("backtest-timeline")).toHaveCount(0);
  await page.getByTestId("param-rate").fill("0.1");
  await expect(sentence).toHaveAttribute("data-fired", "true");

  const download = page.waitForEvent("download");
  await page.getByTestId("export-download").click();
  const file = await (await download).path();
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());
  expect(docs).toHaveLength(1);
  expect(validateAgainstSchema({ PrometheusRule: SCHEMA }, "PrometheusRule", docs[0])).toEqual([]);
  const rules = docs[0].spec.groups[0].rules;
  expect(rules.map((r: { alert: string }) => r.alert)).toEqual(["KubeAPFRequestsRejected"]);
  expect(rules[0].expr).toMatch(/> 0\.1$/);

  // The link reopens the same draft.
  const url = page.url();
  const yaml = await exportedYaml(page);
  const other = await page.context().browser()!.newPage();
  await other.goto(url);
  await expect(other.getByTestId("export-yaml")).toBeVisible();
  expect(parseAllDocuments((await other.getByTestId("export-yaml").textContent())!).map((d) => d.toJS())).toEqual(yaml);
  await other.close();
});

test("the editor completes metric names from the real Prometheus, and a syntax error is marked and blocks export", async ({ page, state }) => {
  await page.goto(`/alerts?${scenarioWindow(state)}`);
  await page.getByTestId("draft-new").click();
  const editor = page.getByTestId("rule-expr").locator(".cm-content");
  await editor.click();
  await page.keyboard.type("apiserver_req");
  await expect(page.locator(".cm-tooltip-autocomplete")).toContainText("apiserver_request_total");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("sum(rate(apiserver_request_total[5m]) >");
  await expect(page.getByTestId("rule-expr").locator(".cm-lintRange-error").first()).toBeVisible();
  await expect(page.getByTestId("export-blocked")).toContainText("does not parse");
  await expect(page.getByTestId("export-download")).toHaveCount(0);
  await page.keyboard.type(" 100)");
  await expect(page.getByTestId("export-download")).toBeVisible();
});

test("'Alert on this' on an overview panel opens a draft on that panel's PromQL", async ({ page, state }) => {
  await page.goto(`/?${scenarioWindow(state)}`);
  const panel = page.locator('[data-panel="requests-by-code"]');
  await expect(panel).toHaveAttribute("data-state", "ready");
  const title = (await panel.locator("h2").textContent())!;
  await panel.getByRole("button", { name: "PromQL" }).click();
  const promql = (await panel.locator("pre").textContent())!.trim();
  await panel.getByTestId("panel-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(page.getByTestId("rule-expr")).toContainText(promql.slice(0, 60));
  const [doc] = await exportedYaml(page);
  expect(doc.spec.groups[0].rules[0].expr.startsWith(promql)).toBe(true);
  expect(doc.spec.groups[0].rules[0].alert).toBe(alertNameFrom(title));
});

test("'Alert on this' on the culprit card drafts the client rules for that client", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  const { culprit } = state.scenario;
  await page.goto(`/load?${scenarioWindow(state)}`);
  await expect(page.getByTestId("culprit-client")).toContainText(culprit.client);
  await page.getByTestId("culprit-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  // The client's rules, on apiscope's own per-client metrics — which this Prometheus does not scrape: shown, with
  // the client escaped into each expression, and left out of the export with the reason.
  const names = ["APIServerClientRequestRateHigh", "APIServerClientShareHigh", "APIServerClientThrottled", "APIServerClientListsFromEtcd"];
  for (const name of names) await expect(page.locator(`[data-rule="${name}"]`)).toHaveAttribute("data-exported", "false");
  for (const name of names) {
    await page.locator(`[data-rule="${name}"] button`).first().click();
    await expect(page.getByTestId("rule-expr")).toContainText(`client=${JSON.stringify(culprit.client)}`);
  }
  await expect(page.getByTestId("rule-notes")).toContainText("scrape apiscope's /metrics");
  await expect(page.getByTestId("backtest-none")).toContainText(/this Prometheus has no apiscope_audit_\w+_total in this window/);
  await expect(page.getByTestId("export-left-out")).toContainText(names[0]!);
  await expect(page.getByTestId("export-blocked")).toContainText("lacks its metrics");
});

test("imported rules join the draft with their checks, and the window kept as a regression test passes promtool", async ({ page, state }) => {
  await page.goto(`/alerts?${scenarioWindow(state)}`);
  await page.getByTestId("import-text").fill(
    [
      "groups:",
      "  - name: overload",
      "    rules:",
      "      - alert: APFRejecting",
      "        expr: sum by (priority_level) (rate(apiserver_flowcontrol_rejected_requests_total[2m])) > 0.1",
      "        for: 2m",
      "        labels: { severity: warning }",
      "        annotations: { summary: 'Level {{ $labels.priority_level }} rejects' }",
      "      - alert: Throttled",
      "        expr: sum(rate(apiserver_request_total{code=\"429\"}[2m])) > 0.1",
      "        for: 1m",
    ].join("\n"),
  );
  await page.getByTestId("import-run").click();
  await expect(page.getByTestId("import-messages")).toContainText("Imported 2 rules");
  await expect(page.locator('[data-rule="APFRejecting"]')).toBeVisible();
  await expect(page.locator('[data-rule="Throttled"]')).toBeVisible();
  await expect(page.getByTestId("lint").locator('[data-code="missing-summary"]')).toContainText("Throttled");
  await expect(page.getByTestId("template-preview").first()).toContainText("→ Level");

  const downloads: Download[] = [];
  page.on("download", (d) => downloads.push(d));
  await page.getByTestId("export-regression").click();
  await expect(page.getByTestId("regression-message")).toContainText("promtool test rules");
  await expect.poll(() => downloads.length).toBe(2);
  const dir = mkdtempSync(path.join(tmpdir(), "apiscope-regression-"));
  try {
    for (const d of downloads) await d.saveAs(path.join(dir, d.suggestedFilename()));
    const test = downloads.find((d) => d.suggestedFilename().endsWith(".test.yaml"))!.suggestedFilename();
    const r = spawnSync("/usr/bin/promtool", ["test", "rules", test], { cwd: dir, encoding: "utf8" });
    expect(`${r.stdout}${r.stderr}`).toContain("SUCCESS");
    expect(r.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("'Alert on this' on a webhook row and a priority-level row drafts that webhook's and that level's rules", async ({ page, state }) => {
  await page.goto(`/webhooks?${scenarioWindow(state)}`);
  const row = page.getByTestId("webhook-table").locator("tr[data-webhook]").first();
  const webhook = (await row.getAttribute("data-webhook"))!;
  await row.getByTestId("row-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(page.locator('[data-rule="KubeAdmissionWebhookNearTimeout"]')).toBeVisible();
  await expect(page.getByTestId("rule-expr")).toContainText(`name=${JSON.stringify(webhook)}`);

  await page.goto(`/apf?${scenarioWindow(state)}`);
  const level = page.getByTestId("apf-levels").locator('tr[data-state="rejecting"]').first();
  const name = (await level.getAttribute("data-level"))!;
  await level.getByTestId("row-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(page.locator('[data-rule="KubeAPFRequestsRejected"]')).toBeVisible();
  await expect(page.getByTestId("rule-expr")).toContainText(`priority_level=${JSON.stringify(name)}`);
  await expect(page.getByTestId("backtest-sentence")).toHaveAttribute("data-fired", "true");
});

test("typing quickly into the rule's fields keeps every keystroke, in the fields and in the export", async ({ page, state }) => {
  await page.goto(`/alerts?${scenarioWindow(state)}`);
  await page.getByTestId("add-apf-rejections").click();
  const name = page.getByTestId("rule-name");
  await name.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("WorkloadLowRejectingRequests");
  const summary = page.getByTestId("rule-annotations").locator('textarea[data-key="summary"]');
  await summary.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Level {{ $labels.priority_level }} turns requests away");
  await expect(name).toHaveValue("WorkloadLowRejectingRequests");
  await expect(summary).toHaveValue("Level {{ $labels.priority_level }} turns requests away");
  await expect.poll(async () => (await exportedYaml(page))[0].spec.groups[0].rules[0].alert).toBe("WorkloadLowRejectingRequests");
  const [doc] = await exportedYaml(page);
  expect(doc.spec.groups[0].rules[0].annotations.summary).toBe("Level {{ $labels.priority_level }} turns requests away");
});
