// Query keys come from here only. They leave out what must not cause a refetch (the auto-refresh choice).
import { serializeViewState, type ViewState } from "./url-state";

const viewKey = (view: ViewState) => serializeViewState({ ...view, refresh: "off" }).toString();

export const queryKeys = {
  panel: (id: string, view: ViewState, widthPx: number, params: Record<string, string> = {}) => ["panel", id, viewKey(view), widthPx, new URLSearchParams(params).toString()] as const,
  targets: (view: ViewState) => ["targets", viewKey({ ...view, instance: "" })] as const,
  status: () => ["status"] as const,
  webhooks: (view: ViewState) => ["webhooks", viewKey(view)] as const,
  apfStatus: (view: ViewState) => ["apf", "status", viewKey(view)] as const,
  auditStatus: () => ["audit", "status"] as const,
  /** `params` from auditParams: the window, selection and options of one audit query. */
  audit: (query: string, params: URLSearchParams) => ["audit", query, params.toString()] as const,
};
