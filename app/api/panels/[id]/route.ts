import { z } from "zod";
import { getConfig } from "@/lib/config";
import { badRequest, errorResponse, fail } from "@/lib/http";
import { findPanel } from "@/lib/registry/panels";
import { runPanel } from "@/lib/panels/run-panel";
import { getGateway } from "@/lib/prometheus/server";
import { badWindow, prometheusAnswer } from "@/lib/routes/prometheus-answer";
import { parseViewState } from "@/lib/url-state";

export const dynamic = "force-dynamic";

const widthSchema = z.coerce.number().int().min(100).max(8000).default(800);
/** Webhook names are DNS subdomains; the metrics call mutating webhooks' type "admit". */
const webhookSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/),
  type: z.enum(["mutating", "validating"]).transform((t) => (t === "mutating" ? ("admit" as const) : ("validating" as const))),
});

/**
 * GET /api/panels/:id?from=now-1h&to=now&width=640&cluster=&instance=[&webhook=&webhook_type=] — one panel's data
 * (series, bars or a heatmap; or "not-covered"). A failed query is the envelope's failure: errorType is the Prometheus
 * error kind, with its HTTP status.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const def = findPanel(id);
  if (!def) return fail("not_found", `no panel named ${JSON.stringify(id)}`, 404);
  const search = new URL(request.url).searchParams;
  const width = widthSchema.safeParse(search.get("width") ?? undefined);
  if (!width.success) return badRequest("width must be a whole number of pixels between 100 and 8000");
  const bad = badWindow(search);
  if (bad) return bad;
  const view = parseViewState(search);
  let webhook: z.infer<typeof webhookSchema> | undefined;
  if (search.has("webhook")) {
    const parsed = webhookSchema.safeParse({ name: search.get("webhook"), type: search.get("webhook_type") });
    if (!parsed.success) return badRequest("webhook must be a webhook name (a DNS subdomain) and webhook_type mutating or validating");
    webhook = parsed.data;
  }
  try {
    const data = await runPanel(
      def,
      { range: view.range, widthPx: width.data, cluster: view.cluster, instance: view.instance, webhook },
      { gateway: getGateway(), config: getConfig(), nowMs: Date.now() },
    );
    return prometheusAnswer(data);
  } catch (err) {
    return errorResponse(err);
  }
}
