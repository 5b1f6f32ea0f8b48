import "server-only";
// One audit service per server process, opened on first use (or at server start when files are configured), on
// the process's store (lib/store/server.ts, which says when another process holds the data directory).
// Kept on globalThis because Next.js may load a module once per route bundle.
import { getConfig } from "../config";
import { getStore } from "../store/server";
import { createAuditService, type AuditService } from "./service";

const globalRef = globalThis as typeof globalThis & { __apiscopeAudit?: Promise<AuditService> };

export function getAuditService(): Promise<AuditService> {
  if (!globalRef.__apiscopeAudit) {
    globalRef.__apiscopeAudit = getStore()
      .then((store) => createAuditService(getConfig().audit, { background: true, store }))
      .catch((err: unknown) => {
        globalRef.__apiscopeAudit = undefined;
        throw err;
      });
  }
  return globalRef.__apiscopeAudit;
}
