import { badRequest, errorResponse, json } from "@/lib/http";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { auditStatus, runBreakdown, runEvents, runFanout, runListHygiene, runTimeseries } from "@/lib/audit/query/run";
import { getAuditService } from "@/lib/audit/server";

export const dynamic = "force-dynamic";

const QUERIES = ["breakdown", "timeseries", "fanout", "list-hygiene", "events", "status"] as const;
type Query = (typeof QUERIES)[number];

/** GET /api/audit/{breakdown|timeseries|fanout|list-hygiene|events|status}?from=…&to=…&group=…&<dimension>=… */
export async function GET(request: Request, { params }: { params: Promise<{ query: string }> }): Promise<Response> {
  const { query } = await params;
  if (!QUERIES.includes(query as Query)) return json({ status: "error", errorType: "not_found", error: `no audit query named ${JSON.stringify(query)}` }, 404);
  try {
    const svc = await getAuditService();
    if (query === "status") return json({ status: "success", data: await auditStatus(svc) });
    const search = new URL(request.url).searchParams;
    const r = parseAuditRequest(search, Date.now());
    if (typeof r === "string") return badRequest(r);
    const data =
      query === "breakdown"
        ? await runBreakdown(svc, r)
        : query === "timeseries"
          ? await runTimeseries(svc, r)
          : query === "fanout"
            ? await runFanout(svc, r)
            : query === "list-hygiene"
              ? await runListHygiene(svc, r, search.get("by") === "resource")
              : await runEvents(svc, r);
    return json({ status: "success", data });
  } catch (err) {
    return errorResponse(err);
  }
}
