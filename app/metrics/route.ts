import { getAuditService } from "@/lib/audit/server";
import { renderExposition } from "@/lib/metrics/exposition";

export const dynamic = "force-dynamic";

/** GET /metrics — apiscope's own metrics in the Prometheus text format (per-client audit metrics). */
export async function GET(): Promise<Response> {
  const svc = await getAuditService();
  return new Response(renderExposition(svc.metrics.families()), {
    headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
  });
}
