"use client";
// A panel around one query: skeleton while loading, a clear error with retry, an answer that says it cannot be given
// (not covered, failed upstream), an empty message, or the content — so a failing query never takes the rest of the
// page down.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { PanelFrame } from "./PanelFrame";
import { PanelMessage, PanelSkeleton } from "./PanelStates";

/** An answer that carries no content but a reason: the panel's state and the message shown. */
export interface Unanswered {
  state: "error" | "not-covered";
  title: string;
  message: string;
}

export function QueryPanel<T>({ id, title, description, query, unanswered, isEmpty, emptyMessage, note, className, bodyClassName, children }: {
  id: string;
  title: string;
  description: string;
  query: UseQueryResult<T>;
  unanswered?: (data: T) => Unanswered | null;
  isEmpty: (data: T) => boolean;
  emptyMessage: string;
  note?: string;
  className?: string;
  bodyClassName?: string;
  children: (data: T) => ReactNode;
}) {
  const { data } = query;
  const reason = data === undefined ? null : (unanswered?.(data) ?? null);
  let state: string;
  let body: ReactNode;
  if (query.isError && !data) {
    state = "error";
    body = <PanelMessage tone="error" title="Query failed" message={query.error.message} action={{ label: "Retry", onClick: () => void query.refetch() }} />;
  } else if (data === undefined) {
    state = "loading";
    body = <PanelSkeleton />;
  } else if (reason) {
    state = reason.state;
    body = <PanelMessage tone={reason.state === "error" ? "error" : "notice"} title={reason.title} message={reason.message} />;
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
