"use client";
import { useCallback } from "react";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { RefreshPicker } from "@/components/toolbar/RefreshPicker";
import { TargetSelector } from "@/components/toolbar/TargetSelector";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { useViewState } from "@/components/view/use-view-state";
import { absoluteRange } from "@/lib/time-range";
import { PrometheusPanel } from "@/components/panels/PrometheusPanel";
import type { PanelMeta } from "@/lib/client/panel-source";

/** Charts of one view share the crosshair. */
const CHART_GROUP = "overview";

export function OverviewView({ panels }: { panels: PanelMeta[] }) {
  const [view, setView] = useViewState();
  const onZoom = useCallback((startMs: number, endMs: number) => setView({ ...view, range: absoluteRange(startMs, endMs) }), [view, setView]);
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Control-plane overview</h1>
        <TargetSelector view={view} onChange={setView} />
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <RefreshPicker value={view.refresh} onChange={(refresh) => setView({ ...view, refresh }, "replace")} />
        <CopyLinkButton view={view} />
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Drag across a chart to zoom into that window. Times are UTC.</p>
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        {panels.map((meta) => (
          <PrometheusPanel key={meta.id} panel={meta} view={view} onZoom={onZoom} group={CHART_GROUP} />
        ))}
      </div>
    </div>
  );
}
