import { errorResponse, fail, ok, refuseCrossSite } from "@/lib/http";
import { getAuditService } from "@/lib/audit/server";
import { getConfig } from "@/lib/config";
import { totalSkipped } from "@/lib/audit/ingest/accounting";
import { webhookAuthorized } from "@/lib/audit/webhook-auth";

export const dynamic = "force-dynamic";

/** kube-apiserver batches stay well below this (400 events by default). */
const MAX_BODY_BYTES = 32 * 2 ** 20;

/**
 * POST /api/audit/webhook — the kube-apiserver audit webhook backend (--audit-webhook-config-file).
 * Answers 200 once the batch (an audit.k8s.io EventList) is durably stored, 429 with Retry-After when the
 * ingest queue is full, so the API server retries instead of dropping events.
 */
export async function POST(request: Request): Promise<Response> {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const { webhook } = getConfig().audit;
  if (webhook.mode === "disabled") {
    return fail("disabled", "the audit webhook is off: set APISCOPE_AUDIT_WEBHOOK_TOKEN (or APISCOPE_AUDIT_WEBHOOK_ALLOW_UNAUTHENTICATED=true)", 503);
  }
  if (webhook.mode === "token" && !webhookAuthorized(request.headers.get("authorization"), webhook.token)) {
    return fail("unauthorized", "missing or wrong bearer token", 401);
  }
  const tooLarge = () => fail("too_large", `batches are limited to ${MAX_BODY_BYTES} bytes`, 413);
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return tooLarge();
  try {
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return tooLarge();
    const svc = await getAuditService();
    const stored = svc.webhook.submit(body);
    if (!stored) return fail("overloaded", "ingest queue full, retry later", 429, { "Retry-After": "1" });
    const outcome = await stored;
    return ok({ accepted: outcome.accepted, open: outcome.open, skipped: totalSkipped(outcome), reasons: outcome.skipped });
  } catch (err) {
    return errorResponse(err);
  }
}
