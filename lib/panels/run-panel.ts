import "server-only";
// Runs one overview panel: plan the range, discover the schema, check coverage, query, shape.
import type { Config } from "../config";
import { discoverSchema } from "../prometheus/discover";
import { assertSeriesLimit, PrometheusError } from "../prometheus/errors";
import type { Gateway } from "../prometheus/gateway";
import { formatMatchers, type LabelMatcher } from "../promql";
import type { MetricSchema } from "../prometheus/schema";
import { planRange, type RangePlan } from "../prometheus/step";
import { rangeProblem, resolveRange, type TimeRange } from "../time-range";
import type { PanelContext, PanelDef } from "./panel-def";
import { shapeBars, shapeHeatmap, shapeTimeseries } from "./shape";
import type { PanelData } from "./types";

export interface PanelRequest {
  range: TimeRange;
  widthPx: number;
  cluster: string;
  instance: string;
  /** The admission webhook of the webhook detail panels (its metrics' name and type labels). */
  webhook?: { name: string; type: "admit" | "validating" };
}

/** A query returning more series than this is refused rather than drawn (and shipped to the browser). */
export const MAX_SERIES_FETCHED = 500;

export function viewSelector(base: string, cluster: string, instance: string): string {
  const extra: LabelMatcher[] = [];
  if (cluster) extra.push({ name: "cluster", op: "=", value: cluster });
  if (instance) extra.push({ name: "instance", op: "=", value: instance });
  return [base, formatMatchers(extra)].filter(Boolean).join(",");
}

/** The step plan, the metric schema and the query context of a view (the range must be valid). */
export async function prepareQuery(
  req: PanelRequest,
  deps: { gateway: Gateway; config: Config; nowMs: number },
): Promise<{ plan: RangePlan; schema: MetricSchema; ctx: PanelContext }> {
  const { startMs, endMs } = resolveRange(req.range, deps.nowMs);
  const plan = planRange(startMs, endMs, req.widthPx, deps.config.scrapeIntervalSeconds);
  const schema = await discoverSchema(deps.gateway, deps.config.apiserverSelector, plan.startSeconds, plan.endSeconds);
  const ctx: PanelContext = {
    sel: viewSelector(deps.config.apiserverSelector, req.cluster, req.instance),
    rateWindow: `${plan.rateWindowSeconds}s`,
    rangeWindow: `${plan.endSeconds - plan.startSeconds}s`,
    targetLabels: schema.hasClusterLabel ? "cluster, job, instance" : "job, instance",
    inflightLimits: deps.config.inflightLimits,
    webhookSel: req.webhook
      ? formatMatchers([
          { name: "name", op: "=", value: req.webhook.name },
          { name: "type", op: "=", value: req.webhook.type },
        ])
      : "",
  };
  return { plan, schema, ctx };
}

export async function runPanel(
  def: PanelDef,
  req: PanelRequest,
  deps: { gateway: Gateway; config: Config; nowMs: number },
): Promise<PanelData> {
  const problem = rangeProblem(req.range, deps.nowMs);
  if (problem) return { status: "error", kind: "bad_request", message: problem };
  try {
    const { plan, schema, ctx } = await prepareQuery(req, deps);
    const uncovered = def.coverage(schema);
    if (uncovered) return { status: "not-covered", message: uncovered };
    const query = def.build(schema, ctx);
    const emptyMessage = def.emptyMessage(schema);
    if (query.kind === "range") {
      const result = await deps.gateway.queryRange(query.promql, plan.startSeconds, plan.endSeconds, plan.stepSeconds);
      assertSeriesLimit(result.length, MAX_SERIES_FETCHED);
      return shapeTimeseries(def, query, result, plan, emptyMessage);
    }
    if (query.kind === "buckets") {
      // One step earlier: the first sample only sets the counters' base.
      const result = await deps.gateway.queryRange(query.promql, plan.startSeconds - plan.stepSeconds, plan.endSeconds, plan.stepSeconds);
      assertSeriesLimit(result.length, MAX_SERIES_FETCHED);
      return shapeHeatmap(def, query, result, plan, emptyMessage);
    }
    const result = await deps.gateway.queryInstant(query.promql, plan.endSeconds);
    assertSeriesLimit(result.length, MAX_SERIES_FETCHED);
    return shapeBars(def, query, result, plan, emptyMessage);
  } catch (err) {
    if (err instanceof PrometheusError) return { status: "error", kind: err.kind, message: err.message };
    throw err;
  }
}
