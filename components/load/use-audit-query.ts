"use client";
// One audit API query of the load view, refetched with the view's auto-refresh and retried while it fails.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { refreshMs } from "@/components/overview/OverviewPanel";
import { auditParams, fetchAudit, type AuditQuery } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import type { Selection, ViewState } from "@/lib/url-state";

const ERROR_RETRY_MS = 10_000;

export function useAuditQuery<T>(query: AuditQuery, view: ViewState, selection: Selection, extra: Record<string, string> = {}, enabled = true) {
  const extraKey = JSON.stringify(extra);
  const params = useMemo(() => auditParams(view, selection, JSON.parse(extraKey) as Record<string, string>), [view, selection, extraKey]);
  return useQuery({
    queryKey: queryKeys.audit(query, params),
    queryFn: ({ signal }) => fetchAudit<T>(query, params, signal),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.status === "error" ? ERROR_RETRY_MS : refreshMs(view.refresh)),
  });
}
