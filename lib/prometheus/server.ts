import "server-only";
// One gateway per server process. Kept on globalThis because Next.js may load a module once per route bundle.
import { getConfig } from "../config";
import { createPrometheusClient } from "./client";
import { createGateway, type Gateway } from "./gateway";

const SETTLED_TTL_MS = 5 * 60_000;

const globalRef = globalThis as typeof globalThis & { __apiscopeGateway?: Gateway };

export function getGateway(): Gateway {
  if (!globalRef.__apiscopeGateway) {
    const config = getConfig();
    globalRef.__apiscopeGateway = createGateway(createPrometheusClient(config.prometheus), {
      ttlMs: config.cacheTtlSeconds * 1000,
      // Two scrape intervals after a window ends, its samples are all in.
      settledAfterMs: 2 * config.scrapeIntervalSeconds * 1000,
      settledTtlMs: SETTLED_TTL_MS,
    });
  }
  return globalRef.__apiscopeGateway;
}
