// Query keys come from here only. They leave out what must not cause a refetch (the auto-refresh choice). Every
// Prometheus panel, registered or ad hoc, is under `panels()`; every audit answer under `audit()`.
import { serializeViewState, type ViewState } from "../url-state";
import type { AdHocQuery } from "./panel-source";

const viewKey = (view: ViewState) => serializeViewState({ ...view, refresh: "off" }).toString();

export const queryKeys = {
  /** Every Prometheus panel: what "Refresh now" refetches. */
  panels: () => ["panel"] as const,
  panel: (id: string, view: ViewState, widthPx: number, params: Record<string, string> = {}) =>
    ["panel", "id", id, viewKey(view), widthPx, new URLSearchParams(params).toString()] as const,
  /** An ad-hoc expression with everything that shapes it (legend, unit…): only the window of the view applies. */
  adHocPanel: (query: AdHocQuery, view: ViewState, widthPx: number) => ["panel", "promql", { ...query }, viewKey({ ...view, cluster: "", instance: "" }), widthPx] as const,
  targets: (view: ViewState) => ["targets", viewKey({ ...view, instance: "" })] as const,
  status: () => ["status"] as const,
  webhooks: (view: ViewState) => ["webhooks", viewKey(view)] as const,
  apfStatus: (view: ViewState) => ["apf", "status", viewKey(view)] as const,
  alertContext: (view: ViewState) => ["alerts", "context", viewKey({ ...view, cluster: "", instance: "" })] as const,
  /** A backtest is keyed by everything it evaluates: changing a threshold or `for` runs a new one. */
  backtest: (body: unknown) => ["alerts", "backtest", JSON.stringify(body)] as const,
  /** Every answer from the audit store: what an upload or a deletion invalidates. */
  audit: () => ["audit"] as const,
  auditStatus: () => ["audit", "status"] as const,
  /** `params` from auditParams: the window, selection and options of one audit query. */
  auditQuery: (query: string, params: URLSearchParams) => ["audit", query, params.toString()] as const,
};
