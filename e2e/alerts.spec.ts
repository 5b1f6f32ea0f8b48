// The alert workbench against the scenario's Prometheus: a template backtested over the incident and exported,
// completion from the real Prometheus, syntax errors blocking export, "Alert on this" from a panel and from the
// culprit card, and a shared link reopening the same draft.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { validateAgainstSchema, type OpenApiSchema } from "@/lib/export/openapi-validate";
import { auditLogStored, expect, scenarioWindow, test } from "./fixtures";

const CRD = parse(readFileSync(path.resolve("test/fixtures/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml"), "utf8"));
const SCHEMA: OpenApiSchema = CRD.spec.versions.find((v: { name: string }) => v.name === "v1").schema.openAPIV3Schema;

const exportedYaml = async (page: import("@playwright/test").Page) => parseAllDocuments((await page.getByTestId("export-yaml").textContent())!).map((d) => d.toJS());

test("a template backtested over the incident: the threshold changes the verdict, and the export is a valid PrometheusRule", async ({ page, state }) => {
  await page.goto(`/alerts?${scenarioWindow(state)}`);
  await page.getByTestId("template-search").fill("APF rejects");
  await page.getByTestId("add-apf-rejections").click();
  const sentence = page.getByTestId("backtest-sentence");
  await expect(sentence).toHaveAttribute("data-fired", "true");
  await expect(sentence).toContainText(/^Would have fired at .* UTC, .* after the window's start, firing for .*; \d+ series\.$/);
  await expect(page.getByTestId("backtest-timeline").locator('rect[data-state="firing"]').first()).toBeVisible();
  await expect(page.getByTestId("backtest-cost")).toContainText("upstream queries");

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
  await panel.getByRole("button", { name: "PromQL" }).click();
  const promql = (await panel.locator("pre").textContent())!.trim();
  await panel.getByTestId("panel-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(page.getByTestId("rule-expr")).toContainText(promql.slice(0, 60));
  const [doc] = await exportedYaml(page);
  expect(doc.spec.groups[0].rules[0].expr.startsWith(promql)).toBe(true);
  expect(doc.spec.groups[0].rules[0].alert).toBe("RequestsByCode");
});

test("'Alert on this' on the culprit card drafts the client rules for that client", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  const { culprit } = state.scenario;
  await page.goto(`/load?${scenarioWindow(state)}`);
  await expect(page.getByTestId("culprit-client")).toContainText(culprit.client);
  await page.getByTestId("culprit-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  const [doc] = await exportedYaml(page);
  const exprs: string[] = doc.spec.groups[0].rules.map((r: { expr: string }) => r.expr);
  expect(exprs.length).toBeGreaterThanOrEqual(3);
  for (const e of exprs) expect(e).toContain(`client=${JSON.stringify(culprit.client)}`);
});
