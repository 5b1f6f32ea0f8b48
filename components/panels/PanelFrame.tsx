"use client";
import Link from "next/link";
import { useState, type ReactNode, type Ref } from "react";
import { InfoIcon } from "@/components/view/icons";

export interface PanelFrameProps {
  id: string;
  title: string;
  description: string;
  /** loading | ready | stale | empty | error | not-covered (panel-state.ts) — exposed for tests and styling. */
  state: string;
  refreshing: boolean;
  note?: string;
  /** A warning beside the title: "refresh failed: …" over an answer kept on screen. */
  notice?: string;
  promql?: string;
  /** The alert workbench with a draft rule on this panel's PromQL ("Alert on this"). */
  alertHref?: string;
  className?: string;
  /** The body's size; charts need a fixed height, tables grow with their rows. */
  bodyClassName?: string;
  /** The body, e.g. to measure its width. */
  bodyRef?: Ref<HTMLDivElement>;
  children: ReactNode;
}

export function PanelFrame({ id, title, description, state, refreshing, note, notice, promql, alertHref, className, bodyClassName = "h-64", bodyRef, children }: PanelFrameProps) {
  const [showQuery, setShowQuery] = useState(false);
  return (
    <section
      data-panel={id}
      data-state={state}
      aria-labelledby={`panel-${id}-title`}
      className={`flex flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 ${className ?? ""}`}
    >
      <header className="flex items-center gap-2 border-b border-slate-100 px-3 py-2 dark:border-slate-800/80">
        <h2 id={`panel-${id}-title`} className="truncate text-sm font-medium text-slate-800 dark:text-slate-100">
          {title}
        </h2>
        <span title={description} aria-label={description} className="cursor-help text-slate-400">
          <InfoIcon />
        </span>
        <span className="ml-auto flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
          {notice && (
            <span role="status" data-testid="refresh-failed" className="text-amber-700 dark:text-amber-300">
              {notice}
            </span>
          )}
          {note && <span>{note}</span>}
          {refreshing && <span className="size-2 animate-pulse rounded-full bg-sky-500" aria-label="refreshing" />}
          {alertHref && (
            <Link href={alertHref} prefetch={false} className="rounded px-1 hover:bg-slate-100 dark:hover:bg-slate-800" data-testid="panel-alert" title="A draft alerting rule on this panel's PromQL, backtested over this window">
              Alert on this
            </Link>
          )}
          {promql && (
            <button type="button" onClick={() => setShowQuery((v) => !v)} className="rounded px-1 hover:bg-slate-100 dark:hover:bg-slate-800">
              PromQL
            </button>
          )}
        </span>
      </header>
      {showQuery && promql && (
        <pre className="max-h-32 overflow-auto border-b border-slate-100 bg-slate-50 px-3 py-2 text-xs whitespace-pre-wrap text-slate-700 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-300">
          {promql}
        </pre>
      )}
      <div ref={bodyRef} className={bodyClassName}>
        {children}
      </div>
    </section>
  );
}
