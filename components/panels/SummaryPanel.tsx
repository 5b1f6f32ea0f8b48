"use client";
// A panel around a window summary from Prometheus (webhooks, APF): the one place that turns its query's states —
// loading, failed, not covered by this Prometheus, empty — into the panel's message, retried while it fails.
import { keepPreviousData, useQuery, type QueryKey, type UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { refreshMs } from "@/components/overview/OverviewPanel";
import type { RefreshOption } from "@/lib/url-state";
import { PanelFrame } from "./PanelFrame";
import { PanelMessage, PanelSkeleton } from "./PanelStates";

const ERROR_RETRY_MS = 10_000;

type Summary = { status: "ok" } | { status: "not-covered"; message: string } | { status: "error"; message: string };

export function useSummaryQuery<T extends Summary>(queryKey: QueryKey, fetch: (signal: AbortSignal) => Promise<T>, refresh: RefreshOption) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => fetch(signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.status === "error" ? ERROR_RETRY_MS : refreshMs(refresh)),
  });
}

export function SummaryPanel<T extends Summary>({ id, title, description, query, isEmpty, emptyMessage, children }: {
  id: string;
  title: string;
  description: string;
  query: UseQueryResult<T>;
  isEmpty?: (ok: Extract<T, { status: "ok" }>) => boolean;
  emptyMessage?: string;
  children: (ok: Extract<T, { status: "ok" }>) => ReactNode;
}) {
  const { data } = query;
  let state: string;
  let body: ReactNode;
  if (query.isError && !data) {
    state = "error";
    body = <PanelMessage tone="error" title="Query failed" message={query.error.message} action={{ label: "Retry", onClick: () => void query.refetch() }} />;
  } else if (!data) {
    state = "loading";
    body = <PanelSkeleton />;
  } else if (data.status === "not-covered" || data.status === "error") {
    state = data.status;
    body = data.status === "error"
      ? <PanelMessage tone="error" title="Query failed" message={data.message} />
      : <PanelMessage tone="notice" title="Not covered by this Prometheus" message={data.message} />;
  } else if (isEmpty?.(data as Extract<T, { status: "ok" }>)) {
    state = "empty";
    body = <PanelMessage tone="empty" title="No data" message={emptyMessage ?? "No data in this window"} />;
  } else {
    state = "ready";
    body = children(data as Extract<T, { status: "ok" }>);
  }
  return (
    <PanelFrame id={id} title={title} description={description} state={state} refreshing={query.isFetching && !!data} bodyClassName={state === "ready" ? "" : "h-40"}>
      {body}
    </PanelFrame>
  );
}
