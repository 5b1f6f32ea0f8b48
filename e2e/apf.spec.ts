// Throttling the culprit with APF on the demo scenario: from the culprit card to a FlowSchema that targets the
// telemetry agent's service account ahead of `service-accounts`, with an effect estimate and the kubectl commands.
import { parseAllDocuments } from "yaml";
import { auditLogStored, expect, incidentWindow, scenarioWindow, test } from "./fixtures";

test("'Throttle with APF' on the culprit card yields a FlowSchema for its service account ahead of service-accounts", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  const { culprit } = state.scenario;
  const [, , namespace, name] = culprit.username.split(":");
  await page.goto(`/load?${incidentWindow(state)}`);
  await expect(page.getByTestId("culprit-client")).toContainText(culprit.client);
  await page.getByTestId("culprit-throttle").click();
  await expect(page).toHaveURL(/\/apf\?/);
  expect(new URL(page.url()).searchParams.get("client")).toBe(culprit.client);

  const builder = page.getByTestId("throttle-builder");
  await expect(builder.getByTestId("current-schemas")).toContainText("service-accounts (precedence 9000 → workload-low)");
  // The metrics' flow_schema label confirms it: service-accounts is where the rejections are.
  await expect(builder.getByTestId("schema-evidence")).toContainText("service-accounts dispatched");
  const yaml = await builder.getByTestId("throttle-yaml").textContent();
  const [level, schema] = parseAllDocuments(yaml!).map((d) => d.toJS());
  expect(level).toMatchObject({ kind: "PriorityLevelConfiguration", spec: { type: "Limited", limited: { lendablePercent: 0 } } });
  expect(schema.kind).toBe("FlowSchema");
  expect(schema.spec.matchingPrecedence).toBeLessThan(9000);
  expect(schema.spec.priorityLevelConfiguration.name).toBe(level.metadata.name);
  expect(schema.spec.rules[0].subjects).toEqual([{ kind: "ServiceAccount", serviceAccount: { namespace, name } }]);
  expect(schema.spec.distinguisherMethod.type).toBe("ByUser");

  // The effect estimate: the seats of the new level and the share of its requests that would be turned away.
  const effect = builder.getByTestId("throttle-effect");
  expect(Number(await effect.getAttribute("data-seats"))).toBeGreaterThan(0);
  expect(Number(await effect.getAttribute("data-reject-share"))).toBeGreaterThanOrEqual(0);
  await expect(effect).toContainText("seats");
  await expect(builder.getByTestId("throttle-apply")).toHaveText(`kubectl apply -f '${level.metadata.name}.yaml'`);
  await expect(builder.getByTestId("throttle-rollback")).toContainText(`kubectl delete flowschema '${schema.metadata.name}'`);

  // Editing the level changes the YAML: reject instead of queueing, more shares.
  await builder.getByTestId("throttle-mode").selectOption("Reject");
  await builder.getByTestId("throttle-shares").fill("10");
  const yamlNow = async () => parseAllDocuments((await builder.getByTestId("throttle-yaml").textContent())!).map((d) => d.toJS());
  await expect.poll(async () => (await yamlNow())[0].spec.limited).toMatchObject({ nominalConcurrencyShares: 10, limitResponse: { type: "Reject" } });
  const edited = await yamlNow();

  // The link reopens the same client and the same choices.
  await expect(page).toHaveURL(/apf\.shares=10/);
  await page.reload();
  await expect(page.getByTestId("throttle-client")).toHaveValue(culprit.client);
  const reopened = parseAllDocuments((await page.getByTestId("throttle-builder").getByTestId("throttle-yaml").textContent())!).map((d) => d.toJS());
  expect(reopened).toEqual(edited);
});

test("the priority level that serves the telemetry agent stands out: it rejects, and its panels draw", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  await page.goto(`/apf?${incidentWindow(state)}`);
  const levels = page.getByTestId("apf-levels").locator("tbody tr");
  await expect(levels.first()).toHaveAttribute("data-level", "workload-low");
  await expect(levels.first()).toHaveAttribute("data-state", "rejecting");
  // Choosing the level shows its flow schemas: service-accounts among them.
  await levels.first().click();
  await expect(page).toHaveURL(/apfstatus\.level=workload-low/);
  await page.reload();
  await expect(page.getByTestId("apf-flow-schemas").locator('tr[data-flow-schema="service-accounts"]')).toBeVisible();
  await expect(page.getByTestId("apf-flow-schemas").locator('tr[data-flow-schema="system-nodes"]')).toHaveCount(0);
  for (const id of ["apf-utilisation", "apf-rejections", "apf-queue-wait", "apf-executing-queued"]) {
    await expect(page.locator(`[data-panel="${id}"]`)).toHaveAttribute("data-state", "ready");
  }
  // Without a client chosen, the throttle builder asks for one.
  await expect(page.getByTestId("throttle-client")).toHaveValue("");
});

test("the throttle builder for the kubelets counts all of their requests, served by system-node-high, and refuses them in one line", async ({ page, request, state }) => {
  await auditLogStored(request, state);
  const window = scenarioWindow(state);
  const breakdown = await (await request.get(`/api/audit/breakdown?${window}&client=kubelet&group=client`)).json();
  const requests: number = breakdown.data.total;
  expect(requests).toBeGreaterThan(0);
  await page.goto(`/apf?${window}&client=kubelet`);
  const builder = page.getByTestId("throttle-builder");
  await expect(builder).toContainText(`kubelet sent ${requests.toLocaleString("en-US")} requests`);
  await expect(builder.getByTestId("current-schemas")).toContainText("system-node-high");
  await expect(builder.getByTestId("subject-summary")).toHaveText(new RegExp(`^${state.scenario.params.nodes} identities: system:node:.*, all in group system:nodes$`));
  const guard = builder.getByTestId("throttle-guard");
  await expect(guard).toContainText(`Refused: ${state.scenario.params.nodes} node identities`);
  await expect(guard.getByText(/^Refused: User system:node:/)).toHaveCount(0);
});
