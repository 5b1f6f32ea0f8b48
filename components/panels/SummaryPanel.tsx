"use client";
// A panel around a window summary from Prometheus (webhooks, APF), whose answer may say it is not covered by this
// Prometheus; on the one state ladder of QueryPanel. Its query is lib/client's useWebhookSummary or useApfStatus.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { notCoveredReason } from "./panel-state";
import { QueryPanel } from "./QueryPanel";

type Summary = { status: "ok" } | { status: "not-covered"; message: string };

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
      notCovered={notCoveredReason}
      isEmpty={(d) => d.status === "ok" && (isEmpty?.(d as Ok) ?? false)}
      emptyMessage={emptyMessage ?? "No data in this window"}
      bodyClassName=""
    >
      {(d) => children(d as Ok)}
    </QueryPanel>
  );
}
