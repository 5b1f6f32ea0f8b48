"use client";
// Every query hook of the browser. Each uses the keys of keys.ts, the fetchers of api.ts and the one refetch policy
// of refetch.ts; components call these and never useQuery or fetch themselves.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Selection, ViewState, RefreshOption } from "../url-state";
import type { BacktestBody } from "../alerts/backtest-types";
import {
  ApiError, auditParams, fetchAdHocPanel, fetchAlertContext, postBacktest, fetchApfStatus, fetchAudit, fetchAuditStatus, fetchPanel, fetchStatus, fetchTargets, fetchWebhooks, type AuditQuery,
} from "./api";
import { queryKeys } from "./keys";
import { isAdHoc, type AdHocQuery, type PanelMeta } from "./panel-source";
import { refetchInterval, refetchPolicy, refreshMs } from "./refetch";

/** The server status badge asks this often, whatever the view. */
export const SERVER_STATUS_POLL_MS = 15_000;
/** Which targets exist changes slowly: a minute-old list is fresh enough. */
const TARGETS_STALE_MS = 60_000;

/** One Prometheus panel, registered (by id, with the view's targets and `params`) or ad hoc, sized to `widthPx`. */
export function usePanelQuery(source: Pick<PanelMeta, "id"> | AdHocQuery, view: ViewState, widthPx: number, params?: Record<string, string>) {
  return useQuery({
    queryKey: isAdHoc(source) ? queryKeys.adHocPanel(source, view, widthPx) : queryKeys.panel(source.id, view, widthPx, params),
    queryFn: ({ signal }) => (isAdHoc(source) ? fetchAdHocPanel(source, view, widthPx, signal) : fetchPanel(source.id, view, widthPx, signal, params)),
    enabled: widthPx > 0,
    ...refetchPolicy(refreshMs(view.refresh)),
  });
}

/** Objects stored per resource at the end of the window (the object-counts panel), or null when unknown. */
export function useObjectCounts(view: ViewState): Map<string, number> | null {
  const { data } = usePanelQuery({ id: "object-counts" }, view, 800);
  return useMemo(() => (data && data.status === "ok" && data.kind === "bar" ? new Map(data.bars.map((b) => [b.name, b.value])) : null), [data]);
}

/** One audit query for the view's window and a selection, with query-specific options; its answer typed by its name. */
export function useAuditQuery<Q extends AuditQuery>(query: Q, view: ViewState, selection: Selection, extra: Record<string, string> = {}, enabled = true) {
  const extraKey = JSON.stringify(extra);
  const params = useMemo(() => auditParams(view, selection, JSON.parse(extraKey) as Record<string, string>), [view, selection, extraKey]);
  return useQuery({
    queryKey: queryKeys.auditQuery(query, params),
    queryFn: ({ signal }) => fetchAudit(query, params, signal),
    enabled,
    ...refetchPolicy(refreshMs(view.refresh)),
  });
}

/** The audit store's sources and size, refreshed with a view (its auto-refresh choice) or every `ms`. */
export function useAuditStatus(every: RefreshOption | number) {
  return useQuery({
    queryKey: queryKeys.auditStatus(),
    queryFn: ({ signal }) => fetchAuditStatus(signal),
    ...refetchPolicy(typeof every === "number" ? every : refreshMs(every)),
  });
}

/** Every admission webhook's calls, latency and failures in the view's window. */
export function useWebhookSummary(view: ViewState) {
  return useQuery({
    queryKey: queryKeys.webhooks(view),
    queryFn: ({ signal }) => fetchWebhooks(view, signal),
    ...refetchPolicy(refreshMs(view.refresh)),
  });
}

/** Every APF priority level's seats, queues and rejections in the view's window. */
export function useApfStatus(view: ViewState) {
  return useQuery({
    queryKey: queryKeys.apfStatus(view),
    queryFn: ({ signal }) => fetchApfStatus(view, signal),
    ...refetchPolicy(refreshMs(view.refresh)),
  });
}

/** Which Prometheus apiscope reads, and whether it answers now. */
export function useServerStatus() {
  return useQuery({
    queryKey: queryKeys.status(),
    queryFn: ({ signal }) => fetchStatus(signal),
    ...refetchPolicy(SERVER_STATUS_POLL_MS),
  });
}

/**
 * The clusters and API server instances seen in the view's window. They change slowly and each answer costs
 * Prometheus a discovery: fetched for a new window or cluster (fresh for a minute), not on every auto-refresh; another
 * cluster's list is never shown for this one.
 */
export function useTargets(view: ViewState) {
  return useQuery({
    queryKey: queryKeys.targets(view),
    queryFn: ({ signal }) => fetchTargets(view, signal),
    staleTime: TARGETS_STALE_MS,
    ...refetchPolicy(false, false),
  });
}

/** What the alert workbench builds rules for: the API-server selector, the scrape interval, the metric names. */
export function useAlertContext(view: ViewState) {
  return useQuery({
    queryKey: queryKeys.alertContext(view),
    queryFn: ({ signal }) => fetchAlertContext(view, signal),
    staleTime: TARGETS_STALE_MS,
    ...refetchPolicy(false),
  });
}

/** Failures that the same request would meet again: retrying them only repeats the cost upstream. */
const FINAL_BACKTEST_ERRORS = new Set(["bad_request", "bad_query", "too_many_series", "too_many_samples"]);

/**
 * The backtest of one rule over a window, run again whenever the rule or the window changes (null: nothing to run).
 * An answer is kept (a past window does not change); a failure is retried on its own only when it may pass later.
 */
export function useBacktest(body: BacktestBody | null) {
  return useQuery({
    queryKey: queryKeys.backtest(body),
    queryFn: ({ signal }) => postBacktest(body!, signal),
    enabled: body !== null,
    staleTime: Infinity,
    retry: false,
    ...refetchPolicy(false),
    refetchInterval: (query) => (query.state.error instanceof ApiError && FINAL_BACKTEST_ERRORS.has(query.state.error.kind) ? false : refetchInterval(false)(query)),
  });
}
