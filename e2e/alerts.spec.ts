// "Alert on this" from the culprit card: rules on the telemetry agent, with its load in the window beside them.
import { parseAllDocuments } from "yaml";
import { auditLogStored, expect, incidentWindow, test } from "./fixtures";

test("'Alert on this' on the culprit card yields alert rules for that client", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  const { culprit } = state.scenario;
  await page.goto(`/load?${incidentWindow(state)}`);
  await expect(page.getByTestId("culprit-client")).toContainText(culprit.client);
  await page.getByTestId("culprit-alert").click();
  await expect(page).toHaveURL(/\/alerts\?/);
  await expect(page.getByTestId("alert-client")).toHaveValue(culprit.client);
  await expect(page.getByTestId("alert-observed")).toContainText("of all requests");
  // The thresholds against what the client did: a low one is crossed, a huge one is not.
  const rateAlert = page.getByTestId("alert-observed").locator('[data-alert="APIServerClientRequestRateHigh"]');
  await page.getByTestId("alert-rateAbove").fill("0.001");
  await expect(rateAlert).toHaveAttribute("data-crossed", "true");
  await page.getByTestId("alert-rateAbove").fill("1000000000");
  await expect(rateAlert).toHaveAttribute("data-crossed", "false");

  const [rule] = parseAllDocuments((await page.getByTestId("alert-yaml").textContent())!).map((d) => d.toJS());
  expect(rule.kind).toBe("PrometheusRule");
  const exprs: string[] = rule.spec.groups[0].rules.map((r: { expr: string }) => r.expr);
  expect(exprs).toHaveLength(3);
  for (const e of exprs) expect(e).toContain(`client="${culprit.client}"`);

  await page.getByTestId("alert-format").selectOption("rules-file");
  await page.getByTestId("alert-rateAbove").fill("250");
  const yamlNow = async () => parseAllDocuments((await page.getByTestId("alert-yaml").textContent())!).map((d) => d.toJS())[0];
  await expect.poll(async () => (await yamlNow()).groups?.[0].rules[0].expr).toMatch(/> 250$/);
  const file = await yamlNow();
  expect(Object.keys(file)).toEqual(["groups"]);

  // A reload (or the copied link) shows the same rules.
  await page.reload();
  const [again] = parseAllDocuments((await page.getByTestId("alert-yaml").textContent())!).map((d) => d.toJS());
  expect(again).toEqual(file);

  await page.getByTestId("alert-shareAbove").fill("3");
  await expect(page.getByTestId("alert-problem")).toContainText("share");
});
