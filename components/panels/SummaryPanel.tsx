"use client";
// A panel around a window summary from Prometheus (webhooks, APF), whose answer may say it is not covered by this
// Prometheus or failed upstream; and the one way to query such a summary, retried while it fails.
import { keepPreviousData, useQuery, type QueryKey, type UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { refreshMs } from "@/components/overview/OverviewPanel";
import type { RefreshOption } from "@/lib/url-state";
import { QueryPanel, type Unanswered } from "./QueryPanel";

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

function unanswered(d: Summary): Unanswered | null {
  if (d.status === "not-covered") return { state: "not-covered", title: "Not covered by this Prometheus", message: d.message };
  if (d.status === "error") return { state: "error", title: "Query failed", message: d.message };
  return null;
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
  type Ok = Extract<T, { status: "ok" }>;
  return (
    <QueryPanel
      id={id}
      title={title}
      description={description}
      query={query}
      unanswered={unanswered}
      isEmpty={(d) => isEmpty?.(d as Ok) ?? false}
      emptyMessage={emptyMessage ?? "No data in this window"}
      bodyClassName=""
    >
      {(d) => children(d as Ok)}
    </QueryPanel>
  );
}
