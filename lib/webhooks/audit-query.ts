import "server-only";
// Admission webhooks as the audit log of a window records them (see audit-sql.ts).
import type { AuditService } from "../audit/service";
import type { AuditRequest } from "../audit/query/request";
import { slowRequestsSql, toWebhookAudit, webhookAuditSql } from "./audit-sql";
import type { WebhookAuditAnswer } from "./audit-types";

/** Which webhooks ran on which requests, how long requests waited on them, and whether that can be known. */
export async function runWebhooks(svc: AuditService, r: AuditRequest): Promise<WebhookAuditAnswer> {
  const rel = await svc.relation(r.window.fromMs, r.window.toMs);
  const q = { window: r.window, filters: r.filters, top: r.top };
  const { sql, params } = webhookAuditSql(rel, q);
  const [row] = await svc.store.query(sql, params);
  // Slow requests are counted only to explain missing annotations.
  let slow: number | null = null;
  if (row?.annotated !== true) {
    const s = slowRequestsSql(rel, q);
    slow = Number((await svc.store.query<{ slow: number }>(s.sql, s.params))[0]?.slow ?? 0);
  }
  return toWebhookAudit(row, slow);
}
