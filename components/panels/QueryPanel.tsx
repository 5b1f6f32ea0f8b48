"use client";
// A panel around one query, on the one state ladder (panel-state.ts): a skeleton while nothing has come, the content,
// the content kept with "refresh failed: …" when a refetch fails, a clear error with retry when there is nothing to
// show, the panel's empty message, or why this Prometheus cannot answer — so a failing query never takes the rest
// of the page down.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode, Ref } from "react";
import { PanelFrame } from "./PanelFrame";
import { PanelMessage, PanelSkeleton } from "./PanelStates";
import { panelState, refreshNotice } from "./panel-state";

export function QueryPanel<T>({
  id, title, description, query, notCovered, isEmpty, emptyMessage, note, promql, alertHref, className, bodyClassName, placeholderClassName = "h-40", bodyRef, children,
}: {
  id: string;
  title: string;
  description: string;
  query: UseQueryResult<T>;
  /** Why an answer cannot be drawn (this Prometheus lacks the metrics), or null. */
  notCovered?: (data: T) => string | null;
  isEmpty: (data: T) => boolean;
  emptyMessage: string | ((data: T) => string);
  note?: string;
  promql?: string;
  alertHref?: string;
  className?: string;
  /** The body's size with content; charts need a fixed height, tables grow with their rows. */
  bodyClassName?: string;
  /** The body's size in the other states. */
  placeholderClassName?: string;
  bodyRef?: Ref<HTMLDivElement>;
  children: (data: T) => ReactNode;
}) {
  const { data } = query;
  const state = panelState(query, { notCovered, isEmpty });
  let body: ReactNode;
  switch (state) {
    case "loading":
      body = <PanelSkeleton />;
      break;
    case "error":
      body = <PanelMessage tone="error" title="Query failed" message={query.error?.message ?? "unknown error"} action={{ label: "Retry", onClick: () => void query.refetch() }} />;
      break;
    case "not-covered":
      body = <PanelMessage tone="notice" title="Not covered by this Prometheus" message={notCovered?.(data as T) ?? ""} />;
      break;
    case "empty":
      body = <PanelMessage tone="empty" title="No data" message={typeof emptyMessage === "function" ? emptyMessage(data as T) : emptyMessage} />;
      break;
    default:
      body = children(data as T);
  }
  const shown = state === "ready" || state === "stale";
  return (
    <PanelFrame
      id={id}
      title={title}
      description={description}
      state={state}
      refreshing={query.isFetching && data !== undefined}
      notice={refreshNotice(query)}
      note={note}
      promql={promql}
      alertHref={alertHref}
      className={className}
      bodyClassName={shown ? bodyClassName : placeholderClassName}
      bodyRef={bodyRef}
    >
      {body}
    </PanelFrame>
  );
}
