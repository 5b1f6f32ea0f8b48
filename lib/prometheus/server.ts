import "server-only";
// One gateway per server process. Kept on globalThis because Next.js may load a module once per route bundle.
import { getConfig } from "../config";
import { createPrometheusClient } from "./client";
import { createGateway, type Gateway } from "./gateway";

const globalRef = globalThis as typeof globalThis & { __apiscopeGateway?: Gateway };

export function getGateway(): Gateway {
  if (!globalRef.__apiscopeGateway) {
    const config = getConfig();
    globalRef.__apiscopeGateway = createGateway(createPrometheusClient(config.prometheus), {
      ttlMs: config.cacheTtlSeconds * 1000,
    });
  }
  return globalRef.__apiscopeGateway;
}
