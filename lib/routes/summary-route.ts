import "server-only";
// The route handler of a window summary computed from Prometheus (webhooks, APF): the window and targets from the
// query string, validated; the summary answered in the envelope (its own error kind as the failure).
import { getConfig, type Config } from "../config";
import { errorResponse } from "../http";
import type { PanelRequest } from "../panels/run-panel";
import { parseViewState } from "../url-state";
import type { Gateway } from "../prometheus/gateway";
import { getGateway } from "../prometheus/server";
import { badWindow, prometheusAnswer, type Unanswered } from "./prometheus-answer";

type Summary = { status: "ok" | "not-covered" } | Unanswered;
type Summarize = (req: PanelRequest, deps: { gateway: Gateway; config: Config; nowMs: number }) => Promise<Summary>;

export function summaryRoute(summarize: Summarize): (request: Request) => Promise<Response> {
  return async (request) => {
    const search = new URL(request.url).searchParams;
    const bad = badWindow(search);
    if (bad) return bad;
    const view = parseViewState(search);
    try {
      const data = await summarize(
        { range: view.range, widthPx: 1000, cluster: view.cluster, instance: view.instance },
        { gateway: getGateway(), config: getConfig(), nowMs: Date.now() },
      );
      return prometheusAnswer(data);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
