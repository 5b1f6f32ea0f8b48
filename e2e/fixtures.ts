// Test fixtures: the app's URL from the harness, and a page that fails the test on any browser console error.
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { readState, type E2EState } from "./harness";

interface Fixtures {
  state: E2EState;
  /** Console errors a test expects on purpose (e.g. 502s while Prometheus is stopped). */
  allowedConsoleErrors: RegExp[];
}

export const test = base.extend<Fixtures>({
  state: async ({}, use) => use(readState()),
  allowedConsoleErrors: [[], { option: true }],
  baseURL: async ({ state }, use) => use(state.appUrl),
  page: async ({ page, allowedConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && !allowedConsoleErrors.some((re) => re.test(m.text()))) errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    await use(page);
    expect(errors, "browser console errors").toEqual([]);
  },
});

export { expect };

/** Waits until no panel is loading, then returns each panel's state. */
export async function panelStates(page: Page): Promise<Record<string, string>> {
  await expect(page.locator("[data-panel]").first()).toBeVisible();
  await expect(page.locator('[data-panel][data-state="loading"]')).toHaveCount(0);
  return page.locator("[data-panel]").evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.getAttribute("data-panel"), el.getAttribute("data-state")])),
  );
}

/** The absolute-window query string for the whole scenario. */
export function scenarioWindow(state: E2EState): string {
  const { startUnixSeconds, endUnixSeconds } = state.scenario.window;
  return `from=${startUnixSeconds * 1000}&to=${endUnixSeconds * 1000}`;
}

/** From the start of the rollout to the end of the scenario (its last second included). */
export function incidentWindow(state: E2EState): string {
  return `from=${state.scenario.incident.startUnixSeconds * 1000}&to=${state.scenario.window.endUnixSeconds * 1000 + 1000}`;
}

/** Waits until the app's file follower has stored every completed request of the scenario's audit log. */
export async function auditLogStored(request: APIRequestContext, state: E2EState): Promise<void> {
  await expect
    .poll(
      async () => {
        const { data } = await (await request.get("/api/audit/status")).json();
        return data.sources.find((s: { source: string }) => s.source.startsWith("file:"))?.accepted ?? 0;
      },
      { timeout: 30_000 },
    )
    .toBe(state.scenario.audit.requests);
}
