// Prometheus goes away mid-incident: drawn panels keep their charts and say the refresh failed, new ones say so
// clearly, the page keeps working, and they recover.
import { startPrometheus } from "@/scripts/lib/prometheus";
import { expect, scenarioWindow, test } from "./fixtures";
import { readState, writeState } from "./harness";
import { OverviewPage } from "./overview-page";

test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 502/] });

test("a Prometheus outage keeps drawn panels with a clear notice, fails new ones clearly, and they recover when it is back", async ({ page, state }) => {
  test.setTimeout(120_000);
  const overview = new OverviewPage(page);
  await overview.open(scenarioWindow(state));
  await overview.states();

  process.kill(state.prometheus.pid, "SIGTERM");
  try {
    await expect.poll(() => fetch(`${state.prometheus.url}/-/ready`).then(() => "up", () => "down")).toBe("down");
    const panel = overview.panel("requests-by-code");
    const unreachable = `Prometheus unreachable at ${state.prometheus.url} (connection refused)`;
    // Answers cached before the outage expire within seconds; then a refresh fails, and every panel keeps its
    // chart and says so.
    await expect(async () => {
      await page.getByRole("button", { name: "Refresh now" }).click();
      await expect(panel).toHaveAttribute("data-state", "stale", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(panel.getByTestId("refresh-failed")).toContainText(`refresh failed: ${unreachable}`);
    await expect(panel.locator("canvas").first()).toBeVisible();
    await expect(page.locator('[data-panel][data-state="stale"]')).toHaveCount(await page.locator("[data-panel]").count());
    await expect(page.getByTestId("prometheus-status")).toHaveAttribute("data-reachable", "false", { timeout: 20_000 });
    // The rest of the page still works; a window never drawn has nothing to keep, so every panel is an error.
    await overview.chooseRelativeRange("Last 6h");
    await expect(page).toHaveURL(/from=now-6h/);
    await expect(panel).toHaveAttribute("data-state", "error", { timeout: 20_000 });
    await expect(panel.getByRole("alert")).toContainText(unreachable);
    await expect(page.locator('[data-panel][data-state="error"]')).toHaveCount(await page.locator("[data-panel]").count());
  } finally {
    const restarted = await startPrometheus({ dir: state.prometheus.dir, tsdbDir: state.prometheus.tsdbDir, port: state.prometheus.port });
    writeState({ ...readState(), prometheus: { ...state.prometheus, pid: restarted.process.pid! } });
  }
  // Failed panels retry on their own.
  await expect(page.locator('[data-panel][data-state="error"], [data-panel][data-state="stale"]')).toHaveCount(0, { timeout: 30_000 });
  await expect(overview.panel("requests-by-code")).toHaveAttribute("data-state", "ready");
  await expect(page.getByTestId("prometheus-status")).toHaveAttribute("data-reachable", "true", { timeout: 20_000 });
});
