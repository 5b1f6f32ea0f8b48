import { z } from "zod";
import { getConfig } from "@/lib/config";
import { parseDuration } from "@/lib/duration";
import { badRequest, errorResponse, ok, refuseCrossSite } from "@/lib/http";
import { backtestProblem, runBacktestWithChart } from "@/lib/alerts/backtest-run";
import { inlineRecords } from "@/lib/alerts/inline";
import { syntaxProblem } from "@/lib/alerts/promql-ast";
import { getGateway } from "@/lib/prometheus/server";
import { readJsonBody } from "@/lib/routes/json-body";
import { planRange } from "@/lib/prometheus/step";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 256 * 1024;
const duration = (max: number) =>
  z.string().max(40).transform((text, ctx) => {
    const s = text === "" || /^0+(ms|s|m|h|d|w|y)?$/.test(text) ? 0 : parseDuration(text);
    if (s === null || s < 0 || s > max) {
      ctx.addIssue({ code: "custom", message: `not a duration between 0s and ${max}s` });
      return z.NEVER;
    }
    return s;
  });
const seconds = z.number().finite().min(0).max(1e10);

const body = z
  .object({
    expr: z.string().min(1).max(20_000),
    records: z.array(z.object({ record: z.string().min(1).max(200), expr: z.string().min(1).max(20_000), labels: z.record(z.string().max(200), z.string().max(1_000)) })).max(50).default([]),
    for: duration(7 * 86400),
    keepFiringFor: duration(7 * 86400),
    interval: duration(3600),
    start: seconds,
    end: seconds,
    /** Width of the preview chart in pixels. */
    width: z.number().int().min(100).max(4000).default(1000),
  })
  .refine((b) => b.end > b.start && b.end - b.start <= 31 * 86400, "start must be before end, at most 31 days apart");

/**
 * POST /api/alerts/backtest — when would this alerting rule have fired in the window? Read-only; a POST only because
 * a rule with its recording rules does not fit in a URL. Answers the backtest (pending and firing spans per alert
 * series, and what it cost upstream) and the preview chart of the rule's value against its threshold.
 */
export async function POST(request: Request): Promise<Response> {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const read = await readJsonBody(request, body, MAX_BODY_BYTES);
  if (!read.ok) return read.response;
  const parsed = read.value;
  const problem = syntaxProblem(parsed.expr);
  if (problem) return badRequest(`expr: ${problem.message} (at ${problem.from})`);
  try {
    const expr = inlineRecords(parsed.expr, parsed.records);
    const inlinedProblem = expr === parsed.expr ? null : syntaxProblem(expr);
    if (inlinedProblem) return badRequest(`with its recording rules inlined, the expression does not parse: ${inlinedProblem.message}`);
    const req = {
      expr,
      forSeconds: parsed.for,
      keepFiringForSeconds: parsed.keepFiringFor,
      intervalSeconds: Math.max(1, parsed.interval),
      startSeconds: parsed.start,
      endSeconds: parsed.end,
    };
    const invalid = backtestProblem(req);
    if (invalid) return badRequest(invalid);
    const plan = planRange(parsed.start * 1000, parsed.end * 1000, parsed.width, getConfig().scrapeIntervalSeconds);
    const { backtest, chart } = await runBacktestWithChart(getGateway(), req, plan);
    return ok({ backtest, chart, inlined: expr !== parsed.expr });
  } catch (err) {
    if (err instanceof RangeError) return badRequest(err.message);
    return errorResponse(err);
  }
}
