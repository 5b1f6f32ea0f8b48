"use client";
// A load-view panel around one query: skeleton while loading, a clear error with retry, an empty message, or the
// content — so a failing query never takes the rest of the page down.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { PanelFrame } from "@/components/panels/PanelFrame";
import { PanelMessage, PanelSkeleton } from "@/components/panels/PanelStates";

export function QueryPanel<T>({ id, title, description, query, isEmpty, emptyMessage, note, className, bodyClassName, children }: {
  id: string;
  title: string;
  description: string;
  query: UseQueryResult<T>;
  isEmpty: (data: T) => boolean;
  emptyMessage: string;
  note?: string;
  className?: string;
  bodyClassName?: string;
  children: (data: T) => ReactNode;
}) {
  const { data } = query;
  let state: string;
  let body: ReactNode;
  if (query.isError && !data) {
    state = "error";
    body = <PanelMessage tone="error" title="Query failed" message={query.error.message} action={{ label: "Retry", onClick: () => void query.refetch() }} />;
  } else if (data === undefined) {
    state = "loading";
    body = <PanelSkeleton />;
  } else if (isEmpty(data)) {
    state = "empty";
    body = <PanelMessage tone="empty" title="No data" message={emptyMessage} />;
  } else {
    state = "ready";
    body = children(data);
  }
  return (
    <PanelFrame
      id={id}
      title={title}
      description={description}
      state={state}
      refreshing={query.isFetching && data !== undefined}
      note={query.isError && data ? `refresh failed: ${query.error.message}` : note}
      className={className}
      bodyClassName={state === "ready" ? bodyClassName : "h-40"}
    >
      {body}
    </PanelFrame>
  );
}
