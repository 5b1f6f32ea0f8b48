import { errorResponse, json } from "@/lib/http";
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
  const { webhook } = getConfig().audit;
  if (webhook.mode === "disabled") {
    return json({ status: "error", errorType: "disabled", error: "the audit webhook is off: set APISCOPE_AUDIT_WEBHOOK_TOKEN (or APISCOPE_AUDIT_WEBHOOK_ALLOW_UNAUTHENTICATED=true)" }, 503);
  }
  if (webhook.mode === "token" && !webhookAuthorized(request.headers.get("authorization"), webhook.token)) {
    return json({ status: "error", errorType: "unauthorized", error: "missing or wrong bearer token" }, 401);
  }
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return json({ status: "error", errorType: "too_large", error: `batches are limited to ${MAX_BODY_BYTES} bytes` }, 413);
  try {
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > MAX_BODY_BYTES) return json({ status: "error", errorType: "too_large", error: `batches are limited to ${MAX_BODY_BYTES} bytes` }, 413);
    const svc = await getAuditService();
    const stored = svc.webhook.submit(body);
    if (!stored) {
      return new Response(JSON.stringify({ status: "error", errorType: "overloaded", error: "ingest queue full, retry later" }), {
        status: 429,
        headers: { "Content-Type": "application/json", "Retry-After": "1" },
      });
    }
    const outcome = await stored;
    return json({ status: "success", data: { accepted: outcome.accepted, open: outcome.open, skipped: totalSkipped(outcome), reasons: outcome.skipped } });
  } catch (err) {
    return errorResponse(err);
  }
}
