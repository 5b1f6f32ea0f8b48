import "server-only";
// The route handler of a window summary computed from Prometheus (webhooks, APF): the window and targets from the
// query string, validated; the answer's own error kind mapped to its HTTP status.
import { getConfig, type Config } from "../config";
import { badRequest, errorResponse, json } from "../http";
import type { PanelRequest } from "../panels/run-panel";
import { parseTimeRef } from "../time-range";
import { parseViewState } from "../url-state";
import { STATUS_BY_KIND, type PrometheusErrorKind } from "../prometheus/errors";
import type { Gateway } from "../prometheus/gateway";
import { getGateway } from "../prometheus/server";

type Summary = { status: "ok" | "not-covered" } | { status: "error"; kind: PrometheusErrorKind | "bad_request" };
type Summarize = (req: PanelRequest, deps: { gateway: Gateway; config: Config; nowMs: number }) => Promise<Summary>;

export function summaryRoute(summarize: Summarize): (request: Request) => Promise<Response> {
  return async (request) => {
    const search = new URL(request.url).searchParams;
    for (const key of ["from", "to"]) {
      const value = search.get(key);
      if (value !== null && !parseTimeRef(value)) return badRequest(`${key} must be "now", "now-<duration>" such as now-1h, or epoch milliseconds`);
    }
    const view = parseViewState(search);
    try {
      const data = await summarize(
        { range: view.range, widthPx: 1000, cluster: view.cluster, instance: view.instance },
        { gateway: getGateway(), config: getConfig(), nowMs: Date.now() },
      );
      const status = data.status === "error" ? (data.kind === "bad_request" ? 400 : STATUS_BY_KIND[data.kind]) : 200;
      return json(data, status);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
