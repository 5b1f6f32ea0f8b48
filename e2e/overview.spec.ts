import { expect, scenarioWindow, test } from "./fixtures";
import { asTimeseries, OverviewPage, peak } from "./overview-page";

const EXPECTED_READY = [
  "requests-by-code",
  "requests-by-verb",
  "latency-by-verb",
  "inflight",
  "apf-rejections",
  "apf-queue-wait",
  "apf-utilisation",
  "etcd-latency",
  "long-running",
  "top-requests",
  "object-counts",
  "etcd-latency-by-resource",
  "memory",
  "cpu",
];

test("draws every overview panel for the incident window", async ({ page, state }) => {
  const overview = new OverviewPage(page);
  await overview.open(scenarioWindow(state));
  const states = await overview.states();
  expect(states).toEqual(Object.fromEntries(EXPECTED_READY.map((id) => [id, "ready"])));
  for (const id of EXPECTED_READY) await expect(overview.panel(id).locator("canvas").first()).toBeVisible();
});

test("shows the incident: 429s and latency rise after the rollout", async ({ page, state }) => {
  const overview = new OverviewPage(page);
  const codes = overview.waitForPanelData("requests-by-code");
  const latency = overview.waitForPanelData("latency-by-verb");
  const queueWait = overview.waitForPanelData("apf-queue-wait");
  await overview.open(scenarioWindow(state));
  const incidentMs = state.scenario.incident.startUnixSeconds * 1000;
  const rolledOutMs = state.scenario.incident.rolloutEndUnixSeconds * 1000;
  const endMs = state.scenario.window.endUnixSeconds * 1000 + 1;
  const startMs = state.scenario.window.startUnixSeconds * 1000;

  const c = asTimeseries(await codes);
  expect(peak(c, /^429$/, startMs, incidentMs)).toBe(0);
  expect(peak(c, /^429$/, rolledOutMs, endMs)).toBeGreaterThan(1);

  const l = asTimeseries(await latency);
  const before = peak(l, /p99$/, startMs, incidentMs);
  expect(before).toBeGreaterThan(0);
  expect(peak(l, /^LIST p99$/, rolledOutMs, endMs)).toBeGreaterThan(2 * peak(l, /^LIST p99$/, startMs, incidentMs));

  const w = asTimeseries(await queueWait);
  expect(peak(w, /^workload-low$/, rolledOutMs, endMs)).toBeGreaterThan(10 * Math.max(0.001, peak(w, /^workload-low$/, startMs, incidentMs)));
  await expect(overview.panel("requests-by-code")).toHaveAttribute("data-state", "ready");
});

test("changing the time range updates the URL and the charts; back returns", async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open();
  await overview.states();
  const refetch = overview.waitForPanelData("requests-by-verb", (u) => u.searchParams.get("from") === "now-3h");
  await overview.chooseRelativeRange("Last 3h");
  await expect(page).toHaveURL(/[?&]from=now-3h&to=now/);
  const data = asTimeseries(await refetch);
  expect(data.endMs - data.startMs).toBeGreaterThanOrEqual(3 * 3600_000 - 300_000);
  await expect(page.getByTestId("time-range")).toHaveText(/Last 3h/);
  await page.goBack();
  await expect(page).not.toHaveURL(/from=now-3h/);
  await expect(page.getByTestId("time-range")).toHaveText(/Last 1h/);
});

test("a copied link pins the window and reopens exactly the same view", async ({ page, context }) => {
  const overview = new OverviewPage(page);
  await overview.open("from=now-30m&to=now&refresh=30s");
  await overview.states();
  const link = await overview.copyLink();
  const url = new URL(link);
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  expect(to - from).toBe(30 * 60_000);
  expect(Math.abs(Date.now() - to)).toBeLessThan(60_000);
  expect(url.searchParams.has("refresh")).toBe(false);

  const colleague = new OverviewPage(await context.newPage());
  const shown = colleague.waitForPanelData("requests-by-verb");
  await colleague.page.goto(link);
  const data = asTimeseries(await shown);
  // The colleague's panels cover the pinned window, not "the last 30 minutes" of their own clock.
  expect(data.startMs).toBeLessThanOrEqual(from);
  expect(data.endMs).toBeLessThanOrEqual(to);
  expect(data.endMs).toBeGreaterThan(to - 60_000);
  await expect(colleague.page.getByTestId("time-range")).toHaveText(/→/);
  await colleague.states();
});

test("dragging across a chart zooms into that window", async ({ page, state }) => {
  const overview = new OverviewPage(page);
  await overview.open(scenarioWindow(state));
  await overview.states();
  const canvas = overview.panel("requests-by-verb").locator("canvas").first();
  const box = (await canvas.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  const url = new URL(page.url());
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  expect(from).toBeGreaterThan(state.scenario.window.startUnixSeconds * 1000);
  expect(to).toBeLessThan(state.scenario.window.endUnixSeconds * 1000);
  expect(to - from).toBeLessThan(0.4 * (state.scenario.window.endUnixSeconds - state.scenario.window.startUnixSeconds) * 1000);
});

test("selecting an API server instance scopes the panels and lands in the URL", async ({ page, state }) => {
  const overview = new OverviewPage(page);
  await overview.open(scenarioWindow(state));
  await overview.states();
  const instance = state.scenario.apiserverInstances[1]!;
  const scoped = overview.waitForPanelData("requests-by-verb", (u) => u.searchParams.get("instance") === instance);
  await page.getByLabel("API server instance").selectOption(instance);
  await expect(page).toHaveURL(new RegExp(`instance=${encodeURIComponent(instance)}`));
  const data = await scoped;
  expect(data.status === "ok" && data.promql).toContain(`instance="${instance}"`);
  await expect(page.getByLabel("Cluster", { exact: true })).toHaveValue("");
  const clustered = overview.waitForPanelData("requests-by-verb", (u) => u.searchParams.get("cluster") === "prod-eu-1");
  await page.getByLabel("Cluster", { exact: true }).selectOption("prod-eu-1");
  await expect(page).toHaveURL(/cluster=prod-eu-1/);
  const c = await clustered;
  expect(c.status === "ok" && c.promql).toContain(`cluster="prod-eu-1"`);
});

test("dark theme by default, light on request, remembered across reloads", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("button", { name: "Switch to the light theme" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "Switch to the dark theme" })).toBeVisible();
});
