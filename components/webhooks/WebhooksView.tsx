"use client";
// Admission webhooks: which webhook slows or breaks the API server. The summary table, admission's overall cost,
// the chosen webhook's panels, and the blast radius of pasted configurations. Window and choice live in the URL.
import { useCallback, useMemo } from "react";
import { PanelFrame } from "@/components/panels/PanelFrame";
import { PanelMessage } from "@/components/panels/PanelStates";
import { PrometheusPanel } from "@/components/panels/PrometheusPanel";
import { SummaryPanel } from "@/components/panels/SummaryPanel";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { RefreshPicker } from "@/components/toolbar/RefreshPicker";
import { TargetSelector } from "@/components/toolbar/TargetSelector";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { Clipped } from "@/components/view/Clipped";
import { useViewState, useWebhookChoice } from "@/components/view/use-view-state";
import { draftHref, WEBHOOK_TEMPLATE_IDS } from "@/lib/alerts/draft-link";
import { serializeViewState, shareableView } from "@/lib/url-state";
import { useAuditStatus, useWebhookSummary } from "@/lib/client/hooks";
import type { PanelMeta } from "@/lib/client/panel-source";
import { formatDuration } from "@/lib/duration";
import { formatValue } from "@/lib/format";
import { absoluteRange } from "@/lib/time-range";
import type { WebhookSummary } from "@/lib/webhooks/types";
import { AuditWebhooks } from "./AuditWebhooks";
import { BlastRadius } from "./BlastRadius";
import { WebhookTable } from "./WebhookTable";


function Overall({ summary }: { summary: Extract<WebhookSummary, { status: "ok" }> }) {
  const a = summary.admission;
  const peakStep = formatDuration(a.peakStepSeconds);
  return (
    <dl className="grid grid-cols-1 gap-2 p-3 text-sm sm:grid-cols-3" data-testid="admission-overall">
      <div>
        <dt className="text-xs text-slate-500">Admission&apos;s share of mutating requests&apos; latency</dt>
        <dd className="font-medium tabular-nums">{formatValue(a.shareOfMutatingLatency, "ratio")}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500" title={`p99 over the window: one p99 from all of the window's requests. Peak: the highest p99 of any ${peakStep} step, the top of the chart "Admission latency p99 over time".`}>
          Admission p99 (admit, validate): over the window · peak per {peakStep}
        </dt>
        <dd className="font-medium tabular-nums" data-testid="admission-step-p99">
          {a.stepP99.length === 0
            ? "–"
            : a.stepP99.map((s) => (
                <div key={s.type}>
                  {s.type} {formatValue(s.p99, "seconds")} over the window · peak {formatValue(s.peakP99, "seconds")}
                </div>
              ))}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Slowest built-in admission plugins (p99)</dt>
        <dd className="font-medium">
          {a.controllers.length === 0
            ? "–"
            : a.controllers.slice(0, 3).map((c) => (
                <div key={`${c.type}:${c.name}`} className="tabular-nums">
                  <Clipped text={c.name} max={40} /> {formatValue(c.p99, "seconds")}
                </div>
              ))}
        </dd>
      </div>
      {summary.missing.length > 0 && (
        <p className="text-xs text-slate-500 sm:col-span-3">Not exposed by this Prometheus (older Kubernetes, or ALPHA metrics off): {summary.missing.join(", ")}.</p>
      )}
    </dl>
  );
}

export function WebhooksView({ detailPanels, admissionPanels }: { detailPanels: PanelMeta[]; admissionPanels: PanelMeta[] }) {
  const [view, setView] = useViewState();
  const [choice, setChoice] = useWebhookChoice();
  const onZoom = useCallback((startMs: number, endMs: number) => setView({ ...view, range: absoluteRange(startMs, endMs) }), [view, setView]);
  const summary = useWebhookSummary(view);
  const auditStatus = useAuditStatus(view.refresh);
  const hasAudit = auditStatus.data ? auditStatus.data.store.requests > 0 : undefined;
  const data = summary.data;
  const rows = useMemo(() => (data?.status === "ok" ? data.webhooks : []), [data]);
  // Without a choice in the URL, the worst webhook is shown.
  const shown = choice ?? (rows[0] ? { name: rows[0].name, type: rows[0].type } : null);
  const [shownName, shownType] = [shown?.name, shown?.type];
  const params = useMemo(() => (shownName && shownType ? { webhook: shownName, webhook_type: shownType } : undefined), [shownName, shownType]);
  const chosenRow = rows.find((r) => r.name === shown?.name && r.type === shown?.type);

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Admission webhooks</h1>
        <TargetSelector view={view} onChange={setView} />
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <RefreshPicker value={view.refresh} onChange={(refresh) => setView({ ...view, refresh }, "replace")} />
        <CopyLinkButton view={view} />
      </div>
      <SummaryPanel
        id="webhooks"
        title="Webhooks"
        description="Every admission webhook the API servers called in the window, summed over the API servers in view: calls, latency quantiles over the whole window (one number from all of its calls; the detail's latency chart shows them per time step, whose peaks can be far higher), share of admission time, rejections and failed calls. Click one for its detail."
        query={summary}
        isEmpty={(d) => d.webhooks.length === 0}
        emptyMessage="No webhook was called in this window"
      >
        {() => (
          <WebhookTable
            rows={rows}
            chosen={shown}
            onChoose={(c) => setChoice(c)}
            alertHref={(name) => draftHref(WEBHOOK_TEMPLATE_IDS.map((t) => ({ t, p: { webhook: name } })), serializeViewState(shareableView(view, Date.now())))}
          />
        )}
      </SummaryPanel>
      {data?.status === "ok" && (
        <SummaryPanel id="admission" title="Admission overall" description="What admission costs the API server, summed over the API servers in view: its share of mutating requests' latency; the p99 of each admission step (admit, validate) over the whole window, one number from all of its requests, and the peak of the per-time-step p99 that the chart below draws; and the built-in plugins." query={summary}>
          {(ok) => <Overall summary={ok} />}
        </SummaryPanel>
      )}
      {shown && (
        <>
          <h2 className="mt-2 text-sm font-semibold" data-testid="webhook-detail-title">
            <Clipped text={shown.name} max={80} /> <span className="font-normal text-slate-500">({shown.type})</span>
          </h2>
          {chosenRow && chosenRow.warnings.length > 0 && (
            <PanelMessage tone="notice" title="Warnings" message={chosenRow.warnings.join("; ")} />
          )}
          <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
            {detailPanels.map((meta) => (
              <PrometheusPanel key={meta.id} panel={meta} view={view} onZoom={onZoom} group="webhook" params={params} />
            ))}
          </div>
        </>
      )}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        {admissionPanels.map((meta) => (
          <PrometheusPanel key={meta.id} panel={meta} view={view} onZoom={onZoom} group="webhook" />
        ))}
      </div>
      <AuditWebhooks view={view} hasAudit={hasAudit} />
      <PanelFrame
        id="blast-radius"
        title="Blast radius of your webhook configurations"
        description="Paste or upload webhook configurations; apiscope flags settings that turn a slow or failing webhook into an outage, using this window's metrics."
        state="ready"
        refreshing={false}
        bodyClassName=""
      >
        <BlastRadius metrics={rows} />
      </PanelFrame>
    </div>
  );
}
