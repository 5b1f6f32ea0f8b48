import { apfStatus } from "@/lib/apf/status";
import { getConfig } from "@/lib/config";
import { badRequest, errorResponse, json } from "@/lib/http";
import { STATUS_BY_KIND } from "@/lib/prometheus/errors";
import { getGateway } from "@/lib/prometheus/server";
import { parseTimeRef } from "@/lib/time-range";
import { parseViewState } from "@/lib/url-state";

export const dynamic = "force-dynamic";

/** GET /api/apf/status?from=now-1h&to=now&cluster=&instance= — every APF priority level's seats, queues and rejections. */
export async function GET(request: Request): Promise<Response> {
  const search = new URL(request.url).searchParams;
  for (const key of ["from", "to"]) {
    const value = search.get(key);
    if (value !== null && !parseTimeRef(value)) {
      return badRequest(`${key} must be "now", "now-<duration>" such as now-1h, or epoch milliseconds`);
    }
  }
  const view = parseViewState(search);
  try {
    const data = await apfStatus(
      { range: view.range, widthPx: 1000, cluster: view.cluster, instance: view.instance },
      { gateway: getGateway(), config: getConfig(), nowMs: Date.now() },
    );
    const status = data.status === "error" ? (data.kind === "bad_request" ? 400 : STATUS_BY_KIND[data.kind]) : 200;
    return json(data, status);
  } catch (err) {
    return errorResponse(err);
  }
}
