import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit tests are pure and fast; integration tests start real servers (Prometheus) on loopback.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "test/support/server-only.ts"),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts", "scenario/**/*.test.ts"],
          environment: "node",
          env: { TZ: "UTC" },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          env: { TZ: "UTC" },
        },
      },
    ],
  },
});
