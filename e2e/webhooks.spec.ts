// The admission-webhook view on the demo scenario in a real Prometheus: the slow validating webhook first with the
// p99 its histogram gives, its heatmap drawn, the choice kept in the URL, and a pasted configuration flagged.
import { auditLogStored, expect, test } from "./fixtures";
import type { E2EState } from "./harness";

/** After the rollout: the incident's webhook latency. */
const incident = (state: E2EState) => `from=${state.scenario.incident.rolloutEndUnixSeconds * 1000}&to=${state.scenario.window.endUnixSeconds * 1000}`;

test("the slow validating webhook comes first with the expected p99, and its heatmap draws", async ({ page, state }) => {
  const { slow, healthy } = state.scenario.webhooks;
  await page.goto(`/webhooks?${incident(state)}`);
  const rows = page.getByTestId("webhook-table").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute("data-webhook", slow.name);
  await expect(rows.nth(1)).toHaveAttribute("data-webhook", healthy.name);
  const p99 = Number(await rows.first().getAttribute("data-p99"));
  expect(p99).toBeGreaterThan(slow.incidentHistogramP99Seconds * 0.9);
  expect(p99).toBeLessThan(slow.incidentHistogramP99Seconds * 1.1);
  await expect(page.getByTestId("webhook-detail-title")).toContainText(slow.name);
  const heatmap = page.locator('[data-panel="webhook-heatmap"]');
  await expect(heatmap).toHaveAttribute("data-state", "ready");
  expect(await heatmap.locator("[data-testid=heatmap] rect").count()).toBeGreaterThan(10);
  for (const id of ["webhook-latency", "webhook-calls", "admission-latency"]) await expect(page.locator(`[data-panel="${id}"]`)).toHaveAttribute("data-state", "ready");
  await expect(page.getByTestId("admission-overall")).toContainText("validate");
});

test("choosing a webhook puts it in the URL; a reload shows it again", async ({ page, state }) => {
  const { healthy } = state.scenario.webhooks;
  await page.goto(`/webhooks?${incident(state)}`);
  await page.getByTestId("webhook-table").locator(`tr[data-webhook="${healthy.name}"]`).click();
  await expect(page).toHaveURL(new RegExp(`webhook=${healthy.name.replaceAll(".", "\\.")}&webhook_type=mutating`));
  await expect(page.getByTestId("webhook-detail-title")).toContainText(healthy.name);
  await page.reload();
  await expect(page.getByTestId("webhook-detail-title")).toContainText(healthy.name);
  await expect(page.getByTestId("webhook-table").locator(`tr[data-webhook="${healthy.name}"]`)).toHaveAttribute("aria-selected", "true");
});

test("a pasted configuration with failurePolicy Fail on pods in all namespaces is flagged", async ({ page, state }) => {
  const { slow } = state.scenario.webhooks;
  await page.goto(`/webhooks?${incident(state)}`);
  await expect(page.getByTestId("webhook-table").locator("tbody tr").first()).toBeVisible();
  const yaml = [
    "apiVersion: admissionregistration.k8s.io/v1",
    "kind: ValidatingWebhookConfiguration",
    "metadata:",
    "  name: policy",
    "webhooks:",
    `  - name: ${slow.name}`,
    "    failurePolicy: Fail",
    "    rules:",
    '      - operations: ["CREATE", "UPDATE"]',
    '        apiGroups: [""]',
    '        apiVersions: ["v1"]',
    '        resources: ["pods"]',
    "    clientConfig:",
    "      service: { name: policy, namespace: policy-system }",
    '    admissionReviewVersions: ["v1"]',
    "    sideEffects: None",
  ].join("\n");
  await page.getByLabel("webhook configuration YAML").fill(yaml);
  const item = page.getByTestId("blast-radius").locator(`li[data-webhook="${slow.name}"]`);
  await expect(item.locator('[data-finding="kube_system"]')).toHaveAttribute("data-severity", "critical");
  await expect(item.locator('[data-finding="no_selector"]')).toBeVisible();
  // Joined with the window's metrics: the webhook is slow, and fails closed.
  await expect(item.locator('[data-finding="fail_closed_unhealthy"]')).toHaveAttribute("data-severity", "critical");
  // Something that is not a webhook configuration is said so.
  await page.getByLabel("webhook configuration YAML").fill("kind: Deployment\napiVersion: apps/v1\n");
  await expect(page.getByTestId("blast-radius").getByRole("alert")).toHaveText("document 1: a Deployment, not a webhook configuration");
});

test("the audit log tells which webhooks ran on which requests and whose requests wait on them", async ({ page, request, state }) => {
  const { healthy } = state.scenario.webhooks;
  await auditLogStored(request, state);
  await page.goto(`/webhooks?${incident(state)}`);
  const panel = page.locator('[data-panel="audit-webhooks"]');
  await expect(panel).toHaveAttribute("data-state", "ready");
  await expect(panel.getByTestId("latency-annotations")).toHaveAttribute("data-coverage", "recorded");
  const sidecar = panel.getByTestId("audit-webhooks-table").locator(`tr[data-webhook="${healthy.name}"]`);
  await expect(sidecar).toHaveAttribute("data-type", "mutating");
  await expect(sidecar).toContainText("create pods");
  await expect(panel.getByTestId("webhook-waits").locator('[data-kind="validating"]')).toContainText("p99");
  expect(await panel.getByTestId("webhook-requests-table").locator("tbody tr").count()).toBeGreaterThan(0);
  // Whose requests wait: a click shows those requests on the Load page.
  const first = panel.getByTestId("webhook-shapes-table").locator("tbody tr").first();
  const client = await first.getAttribute("data-client");
  await first.getByRole("link").click();
  await expect(page).toHaveURL(/\/load\?/);
  expect(new URL(page.url()).searchParams.get("client")).toBe(client);
  expect(new URL(page.url()).searchParams.get("resource")).toBe("pods");
});
