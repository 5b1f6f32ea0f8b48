import "server-only";
// One audit service per server process, opened on first use (or at server start when files are configured).
// Kept on globalThis because Next.js may load a module once per route bundle.
import { getConfig } from "../config";
import { createAuditService, type AuditService } from "./service";

const globalRef = globalThis as typeof globalThis & { __apiscopeAudit?: Promise<AuditService> };

export function getAuditService(): Promise<AuditService> {
  if (!globalRef.__apiscopeAudit) {
    const config = getConfig().audit;
    globalRef.__apiscopeAudit = createAuditService(config, { background: true }).catch((err: Error) => {
      globalRef.__apiscopeAudit = undefined;
      throw /lock/i.test(err.message)
        ? new Error(`the audit store in ${config.dataDir} is in use by another process; give each apiscope process its own APISCOPE_DATA_DIR`)
        : err;
    });
  }
  return globalRef.__apiscopeAudit;
}
