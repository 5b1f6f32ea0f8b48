import { badRequest, errorResponse, fail, ok } from "@/lib/http";
import { parseAuditRequest, type AuditRequest } from "@/lib/audit/query/request";
import { auditStatus, runBreakdown, runEvents, runFanout, runListHygiene, runTimeseries } from "@/lib/audit/query/run";
import { runApfSubjects } from "@/lib/apf/subjects-query";
import { runCulprit } from "@/lib/load/culprit-query";
import { runWebhooks } from "@/lib/webhooks/audit-query";
import { getAuditService } from "@/lib/audit/server";
import type { AuditService } from "@/lib/audit/service";

export const dynamic = "force-dynamic";

type Runner = (svc: AuditService, r: AuditRequest, search: URLSearchParams) => Promise<unknown>;

const QUERIES: Record<string, Runner> = {
  breakdown: runBreakdown,
  culprit: runCulprit,
  timeseries: runTimeseries,
  fanout: runFanout,
  "list-hygiene": (svc, r, search) => runListHygiene(svc, r, search.get("by") === "resource"),
  events: runEvents,
  webhooks: runWebhooks,
  "apf-subjects": runApfSubjects,
};

/** GET /api/audit/{breakdown|culprit|timeseries|fanout|list-hygiene|events|webhooks|apf-subjects|status}?from=…&to=…&group=…&<dimension>=… */
export async function GET(request: Request, { params }: { params: Promise<{ query: string }> }): Promise<Response> {
  const { query } = await params;
  const run = Object.hasOwn(QUERIES, query) ? QUERIES[query] : undefined;
  if (!run && query !== "status") return fail("not_found", `no audit query named ${JSON.stringify(query)}`, 404);
  try {
    const svc = await getAuditService();
    if (!run) return ok(await auditStatus(svc));
    const search = new URL(request.url).searchParams;
    const r = parseAuditRequest(search, Date.now());
    if (typeof r === "string") return badRequest(r);
    return ok(await run(svc, r, search));
  } catch (err) {
    return errorResponse(err);
  }
}
