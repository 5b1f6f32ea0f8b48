import { defineConfig } from "@playwright/test";

// End-to-end tests: Debian's Chromium against the production build, reading a real Prometheus that holds the
// incident scenario (both started by e2e/global-setup.ts).
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  workers: 1, // one Prometheus is shared, and one test stops it on purpose
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: ".data/e2e-results",
  use: {
    browserName: "chromium",
    viewport: { width: 1440, height: 1000 },
    timezoneId: "UTC",
    launchOptions: {
      executablePath: process.env.APISCOPE_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
    trace: "off",
  },
});
