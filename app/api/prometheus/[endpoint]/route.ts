import { z } from "zod";
import { getConfig } from "@/lib/config";
import { badRequest, errorResponse, fail, ok } from "@/lib/http";
import { assertSeriesLimit } from "@/lib/prometheus/errors";
import { isLabelName } from "@/lib/promql";
import { getGateway } from "@/lib/prometheus/server";
import { planRange } from "@/lib/prometheus/step";
import { zodMessage } from "@/lib/routes/json-body";

export const dynamic = "force-dynamic";

// Read-only Prometheus endpoints, and only these: no admin API, no caller-chosen upstream, no raw pass-through.
const seconds = z.coerce.number().finite().min(0).max(1e10);
const query = z.string().min(1).max(20_000);
const matches = z.array(z.string().min(1).max(2_000)).max(20);
const MAX_SERIES = 2_000;
const MAX_RANGE_SECONDS = 31 * 86400;

const window = (p: { start: number; end: number }) => p.end > p.start && p.end - p.start <= MAX_RANGE_SECONDS;
const WINDOW_MESSAGE = "start must be before end, at most 31 days apart";

const schemas = {
  query: z.object({ query, time: seconds.optional() }),
  query_range: z
    .object({ query, start: seconds, end: seconds, width: z.coerce.number().int().min(100).max(8000).default(1000) })
    .refine(window, WINDOW_MESSAGE),
  series: z.object({ match: matches.min(1), start: seconds, end: seconds }).refine(window, WINDOW_MESSAGE),
  labels: z.object({ match: matches, start: seconds, end: seconds }).refine(window, WINDOW_MESSAGE),
  label_values: z
    .object({ label: z.string().refine(isLabelName, "not a label name"), match: matches, start: seconds, end: seconds })
    .refine(window, WINDOW_MESSAGE),
  buildinfo: z.object({}),
  metadata: z.object({ metric: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
} as const;
type Endpoint = keyof typeof schemas;

function paramsOf(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = { match: search.getAll("match[]") };
  for (const [key, value] of search) if (key !== "match[]") out[key] = value;
  return out;
}

async function run(endpoint: Endpoint, raw: Record<string, unknown>): Promise<unknown> {
  const gw = getGateway();
  const scrape = getConfig().scrapeIntervalSeconds;
  switch (endpoint) {
    case "query": {
      const p = schemas.query.parse(raw);
      return gw.queryInstant(p.query, p.time ?? Math.floor(Date.now() / 1000));
    }
    case "query_range": {
      const p = schemas.query_range.parse(raw);
      const plan = planRange(p.start * 1000, p.end * 1000, p.width, scrape);
      const series = await gw.queryRange(p.query, plan.startSeconds, plan.endSeconds, plan.stepSeconds);
      assertSeriesLimit(series.length, MAX_SERIES);
      return { ...plan, series };
    }
    case "series": {
      const p = schemas.series.parse(raw);
      return gw.series(p.match, p.start, p.end);
    }
    case "labels": {
      const p = schemas.labels.parse(raw);
      return gw.labelNames(p.match, p.start, p.end);
    }
    case "label_values": {
      const p = schemas.label_values.parse(raw);
      return gw.labelValues(p.label, p.match, p.start, p.end);
    }
    case "buildinfo":
      return gw.buildInfo();
    case "metadata": {
      const p = schemas.metadata.parse(raw);
      return gw.metadata(p.metric, p.limit);
    }
  }
}

/** GET /api/prometheus/{query|query_range|series|labels|label_values|buildinfo|metadata}?… */
export async function GET(request: Request, { params }: { params: Promise<{ endpoint: string }> }): Promise<Response> {
  const { endpoint } = await params;
  if (!Object.hasOwn(schemas, endpoint)) {
    return fail("not_found", `${JSON.stringify(endpoint)} is not an allowed Prometheus endpoint`, 404);
  }
  try {
    const data = await run(endpoint as Endpoint, paramsOf(new URL(request.url).searchParams));
    return ok(data);
  } catch (err) {
    if (err instanceof z.ZodError) return badRequest(zodMessage(err, "params"));
    return errorResponse(err);
  }
}
