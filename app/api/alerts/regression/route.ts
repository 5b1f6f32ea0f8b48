import { z } from "zod";
import { parseDuration } from "@/lib/duration";
import { badRequest, errorResponse, ok, refuseCrossSite } from "@/lib/http";
import { runRegression } from "@/lib/alerts/regression-run";
import { syntaxProblem } from "@/lib/alerts/promql-ast";
import type { Rule } from "@/lib/alerts/rules";
import { getGateway } from "@/lib/prometheus/server";
import { readJsonBody } from "@/lib/routes/json-body";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 512 * 1024;
const text = (max: number) => z.string().max(max);
const stringMap = z.record(text(200), text(10_000));
const rule = z.union([
  z.object({ alert: text(200).min(1), expr: text(20_000).min(1), for: text(40), keepFiringFor: text(40), labels: stringMap, annotations: stringMap }),
  z.object({ record: text(200).min(1), expr: text(20_000).min(1), labels: stringMap }),
]);
const body = z
  .object({
    group: z.object({ name: text(253), interval: text(40), rules: z.array(rule).min(1).max(200) }),
    interval: text(40),
    start: z.number().finite().min(0).max(1e10),
    end: z.number().finite().min(0).max(1e10),
  })
  .refine((b) => b.end > b.start && b.end - b.start <= 7 * 86400, "start must be before end, at most 7 days apart");

/**
 * POST /api/alerts/regression — "keep this incident as a test of your alerts": the rule group's input series captured
 * over the window and its backtests' answers as a `promtool test rules` file, with the rule file it tests. Read-only;
 * a POST because a rule group does not fit in a URL.
 */
export async function POST(request: Request): Promise<Response> {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const read = await readJsonBody(request, body, MAX_BODY_BYTES);
  if (!read.ok) return read.response;
  const parsed = read.value;
  const interval = parseDuration(parsed.interval);
  if (interval === null || interval < 1 || interval > 3600) return badRequest("interval: a duration between 1s and 1h such as 30s");
  for (const r of parsed.group.rules) {
    const problem = syntaxProblem(r.expr);
    if (problem) return badRequest(`${"alert" in r ? r.alert : r.record}: ${problem.message}`);
  }
  try {
    const answer = await runRegression(getGateway(), {
      group: { ...parsed.group, rules: parsed.group.rules as Rule[] },
      intervalSeconds: interval,
      startSeconds: parsed.start,
      endSeconds: parsed.end,
    });
    return ok(answer);
  } catch (err) {
    if (err instanceof RangeError) return badRequest(err.message);
    return errorResponse(err);
  }
}
