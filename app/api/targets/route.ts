import { getConfig } from "@/lib/config";
import { errorResponse, ok } from "@/lib/http";
import { listTargets } from "@/lib/panels/targets";
import { getGateway } from "@/lib/prometheus/server";
import { parseViewState } from "@/lib/url-state";

export const dynamic = "force-dynamic";

/** GET /api/targets?from=…&to=…&cluster=… — the clusters and API server instances seen in the window. */
export async function GET(request: Request): Promise<Response> {
  const view = parseViewState(new URL(request.url).searchParams);
  try {
    const choices = await listTargets(view.range, view.cluster, { gateway: getGateway(), config: getConfig(), nowMs: Date.now() });
    return ok(choices);
  } catch (err) {
    return errorResponse(err);
  }
}
