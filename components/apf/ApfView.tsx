"use client";
// API Priority and Fairness: how each priority level copes, and a throttle for the client that floods one.
// Window and chosen client live in the URL, so a shared link reopens the same throttle.
import { useCallback, useMemo } from "react";
import { FlowSchemaTable } from "@/components/apf/FlowSchemaTable";
import { PriorityLevelTable } from "@/components/apf/PriorityLevelTable";
import { ThrottleBuilder } from "@/components/apf/ThrottleBuilder";
import { PrometheusPanel } from "@/components/panels/PrometheusPanel";
import { SummaryPanel } from "@/components/panels/SummaryPanel";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { RefreshPicker } from "@/components/toolbar/RefreshPicker";
import { TargetSelector } from "@/components/toolbar/TargetSelector";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { usePrefixedParams, useSelection, useViewState } from "@/components/view/use-view-state";
import { draftHref, LEVEL_TEMPLATE_IDS } from "@/lib/alerts/draft-link";
import { DEFAULT_SERVER_LIMIT } from "@/lib/apf/bootstrap";
import { useApfStatus } from "@/lib/client/hooks";
import type { PanelMeta } from "@/lib/client/panel-source";
import { absoluteRange } from "@/lib/time-range";
import { DEFAULT_SELECTION, parseFlat, serializeFlat, serializeViewState, shareableView, type Selection } from "@/lib/url-state";

const LEVEL_PREFIX = "apfstatus";
const NO_LEVEL = { level: "" };

export function ApfView({ panels }: { panels: PanelMeta[] }) {
  const [view, setView] = useViewState();
  const [selection, setSelection] = useSelection();
  // The chosen level is part of the view: a shared link shows the same flow schemas.
  const [levelParams, setLevelParams] = usePrefixedParams(LEVEL_PREFIX);
  const level = parseFlat(levelParams, LEVEL_PREFIX, NO_LEVEL).level || null;
  const setLevel = (next: string | null) => setLevelParams(serializeFlat(LEVEL_PREFIX, NO_LEVEL, { level: next ?? "" }));
  const onZoom = useCallback((startMs: number, endMs: number) => setView({ ...view, range: absoluteRange(startMs, endMs) }), [view, setView]);
  const status = useApfStatus(view);
  const ok = status.data?.status === "ok" ? status.data : null;
  const client = selection.filters.client?.[0];
  // Only the client matters here: the subjects are resolved from all of its traffic.
  const only = useMemo<Selection>(() => ({ ...DEFAULT_SELECTION, filters: client === undefined ? {} : { client: [client] } }), [client]);
  const onClient = (next: string | null) => setSelection({ ...DEFAULT_SELECTION, filters: next === null ? {} : { client: [next] } });

  // Opened for a client (from the culprit card), the throttle comes first; otherwise the status does.
  const builder = (
    <ThrottleBuilder view={view} selection={only} onClient={onClient} serverLimit={ok?.serverLimit.seats ?? DEFAULT_SERVER_LIMIT} metricSchemas={ok?.flowSchemas ?? null} />
  );

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">API Priority and Fairness</h1>
        <TargetSelector view={view} onChange={setView} />
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <RefreshPicker value={view.refresh} onChange={(refresh) => setView({ ...view, refresh }, "replace")} />
        <CopyLinkButton view={view} />
      </div>
      {client !== undefined && builder}
      <SummaryPanel
        id="apf-levels"
        title="Priority levels"
        description="Every priority level in the window: nominal seats, peak use and queueing, queue wait p99, dispatched and rejected requests. Levels that reject or queue come first; click one to see its flow schemas."
        query={status}
      >
        {(d) => (
          <>
            <PriorityLevelTable
              rows={d.levels}
              chosen={level}
              onChoose={(l) => setLevel(level === l ? null : l)}
              alertHref={(l) => draftHref(LEVEL_TEMPLATE_IDS.map((t) => ({ t, p: { priorityLevel: l } })), serializeViewState(shareableView(view, Date.now())))}
            />
            <p className="px-3 pb-2 text-xs text-slate-500">{d.serverLimit.note}</p>
            {d.missing.length > 0 && (
              <p className="px-3 pb-2 text-xs text-slate-500">Not exposed by this Prometheus (older Kubernetes), so their columns stay empty: {d.missing.join(", ")}.</p>
            )}
          </>
        )}
      </SummaryPanel>
      <SummaryPanel
        id="apf-flow-schemas-table"
        title={level ? `Flow schemas of ${level}` : "Flow schemas"}
        description="Requests each flow schema dispatched and rejected in the window, and the priority level it sends them to."
        query={status}
      >
        {(d) => <FlowSchemaTable rows={d.flowSchemas} priorityLevel={level} />}
      </SummaryPanel>
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        {panels.map((meta) => (
          <PrometheusPanel key={meta.id} panel={meta} view={view} onZoom={onZoom} group="apf" />
        ))}
      </div>
      {client === undefined && builder}
    </div>
  );
}
