"use client";
// "Who is loading the API server": the culprit, the load by group over time and as a table, fan-out, LIST hygiene
// and the raw requests, for the window and selection in the URL. Every panel stands alone: one failing query shows
// its own error while the others keep working.
import { useCallback, useMemo, useState } from "react";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { RefreshPicker } from "@/components/toolbar/RefreshPicker";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { PanelMessage } from "@/components/panels/PanelStates";
import { PrometheusPanel } from "@/components/panels/PrometheusPanel";
import { QueryPanel } from "@/components/panels/QueryPanel";
import { panelState, refreshNotice } from "@/components/panels/panel-state";
import { useSelection, useViewState } from "@/components/view/use-view-state";
import { CLIENT_TEMPLATE_IDS, draftHref } from "@/lib/alerts/draft-link";
import type { Dimension } from "@/lib/audit/dimensions";
import { auditParams } from "@/lib/client/api";
import { useAuditQuery, useAuditStatus, useObjectCounts } from "@/lib/client/hooks";
import type { PanelMeta } from "@/lib/client/panel-source";
import { culpritMoment } from "@/lib/load/culprit-moment";
import { hygieneScorecard } from "@/lib/load/hygiene";
import { absoluteRange, resolveRange } from "@/lib/time-range";
import { DEFAULT_SELECTION, serializeViewState, shareableView, withFilter } from "@/lib/url-state";
import { BreakdownTable } from "./BreakdownTable";
import { CulpritCard } from "./CulpritCard";
import { EventsTable } from "./EventsTable";
import { FanoutTable } from "./FanoutTable";
import { HygieneScorecard } from "./HygieneScorecard";
import { LoadOverTime } from "./LoadOverTime";
import { SelectionBar } from "./SelectionBar";
import { Treemap } from "./Treemap";

const TOP = "10";
const TREEMAP_GROUP: Dimension[] = ["client", "verb", "resource"];

export function LoadView({ prometheusPanels }: { prometheusPanels: PanelMeta[] }) {
  const [view, setView] = useViewState();
  const [selection, setSelection] = useSelection();
  const onZoom = useCallback((startMs: number, endMs: number) => setView({ ...view, range: absoluteRange(startMs, endMs) }), [view, setView]);
  const pick = useCallback((d: Dimension, value: string) => setSelection(withFilter(selection, d, value)), [selection, setSelection]);
  const pickKeys = useCallback(
    (keys: string[]) => setSelection(keys.reduce((s, k, i) => withFilter(s, selection.group[i]!, k), selection)),
    [selection, setSelection],
  );

  const status = useAuditStatus(view.refresh);
  const culprit = useAuditQuery("culprit", view, selection);
  const culpritState = panelState(culprit, { isEmpty: (a) => a.verdict.culprit === null });
  const culpritNotice = refreshNotice(culprit);
  const breakdown = useAuditQuery("breakdown", view, selection, { top: TOP });
  const overTime = useAuditQuery("timeseries", view, selection, { top: TOP, width: "1000" });
  const nested = useMemo(() => ({ group: TREEMAP_GROUP, filters: selection.filters }), [selection.filters]);
  const treemap = useAuditQuery("breakdown", view, nested, { top: "60" });
  const pickPath = useCallback((path: string[]) => setSelection(path.reduce((s, k, i) => withFilter(s, TREEMAP_GROUP[i]!, k), selection)), [selection, setSelection]);
  const fanout = useAuditQuery("fanout", view, selection, { top: TOP });
  const hygiene = useAuditQuery("list-hygiene", view, selection, { top: "100", by: "resource" });
  const objectCounts = useObjectCounts(view);

  // Drill-down pages: the cursors of the pages before the one shown, reset whenever the view or selection changes.
  const pageKey = JSON.stringify([view, selection]);
  const [pages, setPages] = useState<{ key: string; cursors: string[] }>({ key: pageKey, cursors: [] });
  const cursors = pages.key === pageKey ? pages.cursors : [];
  const cursor = cursors.at(-1);
  const events = useAuditQuery("events", view, selection, { limit: "25", ...(cursor ? { cursor } : {}) });

  const markers = useMemo(() => {
    const moment = culpritMoment(culprit.data);
    return moment ? [moment] : [];
  }, [culprit.data]);

  const filename = () => {
    const { startMs, endMs } = resolveRange(view.range, Date.now());
    return `apiscope-${selection.group.join("-")}-${new Date(startMs).toISOString()}-${new Date(endMs).toISOString()}.csv`.replaceAll(":", "");
  };
  const noAudit = status.data && status.data.store.requests === 0;
  const clientHref = (page: "apf" | "alerts", client: string) =>
    page === "alerts"
      ? draftHref(CLIENT_TEMPLATE_IDS.map((t) => ({ t, p: { client } })), serializeViewState(shareableView(view, Date.now())))
      : `/${page}?${auditParams(view, { group: DEFAULT_SELECTION.group, filters: { client: [client] } })}`;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Who is loading the API server</h1>
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <RefreshPicker value={view.refresh} onChange={(refresh) => setView({ ...view, refresh }, "replace")} />
        <CopyLinkButton view={view} />
      </div>
      <SelectionBar selection={selection} onChange={setSelection} />
      {noAudit && (
        <PanelMessage
          tone="notice"
          title="No audit events stored"
          message="Per-client load comes from kube-apiserver audit logs (no API-server metric names the client). Point APISCOPE_AUDIT_FILES at the audit log, send the audit webhook to /api/audit/webhook, or upload a log on the Audit logs page."
        />
      )}
      {/* On the panels' state ladder; with no culprit to name (nothing stored) the card is left out. */}
      <div data-panel="culprit" data-state={culpritState}>
        {culpritState === "error" ? (
          <PanelMessage tone="error" title="Culprit query failed" message={culprit.error?.message ?? "unknown error"} action={{ label: "Retry", onClick: () => void culprit.refetch() }} />
        ) : (
          culprit.data && (
            <>
              {culpritNotice && (
                <p role="status" data-testid="refresh-failed" className="mb-1 text-xs text-amber-700 dark:text-amber-300">
                  Culprit {culpritNotice}
                </p>
              )}
              <CulpritCard answer={culprit.data} onDrillDown={(client) => pick("client", client)} clientHref={clientHref} />
            </>
          )
        )}
      </div>
      <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
        <QueryPanel
          id="load-over-time"
          title="Requests per second by group"
          description="The top groups of the window, stacked, plus everything else as other. Click a group to filter by it; drag to zoom."
          query={overTime}
          isEmpty={(d) => d.series.length === 0}
          emptyMessage="No requests stored in this window for this selection."
          bodyClassName="h-72"
        >
          {(d) => <LoadOverTime answer={d} markers={markers} onPick={pickKeys} onZoom={onZoom} />}
        </QueryPanel>
        <QueryPanel
          id="treemap"
          title="Client → verb → resource"
          description="The 60 busiest client, verb and resource combinations, nested; the area is the number of requests. Click a tile to filter by it."
          query={treemap}
          isEmpty={(d) => d.rows.length === 0}
          emptyMessage="No requests stored in this window for this selection."
          bodyClassName="h-72"
        >
          {(d) => <Treemap rows={d.rows} onPick={pickPath} />}
        </QueryPanel>
        <QueryPanel
          id="load-table"
          className="xl:col-span-2"
          title="Top groups"
          description="Requests, rate, share, 5xx and 429 counts, latency (p50/p99) and distinct sources per group. Click a value to filter by it."
          query={breakdown}
          isEmpty={(d) => d.rows.length === 0}
          emptyMessage="No requests stored in this window for this selection."
          bodyClassName=""
        >
          {(d) => <BreakdownTable answer={d} series={overTime.data?.series} groupBy={selection.group} onPick={pick} filename={filename} />}
        </QueryPanel>
        <QueryPanel
          id="fanout"
          className="xl:col-span-2"
          title="Fan-out: same request from many sources"
          description="Request shapes (verb, resource, scope) by the number of distinct sources sending them, with each source's interval: a DaemonSet on every node shows as thousands of sources."
          query={fanout}
          isEmpty={(d) => d.rows.length === 0}
          emptyMessage="No requests with a source IP in this window."
          bodyClassName=""
        >
          {(d) => <FanoutTable rows={d.rows} onPickClient={(c) => pick("client", c)} />}
        </QueryPanel>
        <QueryPanel
          id="list-hygiene"
          className="xl:col-span-2"
          title="LIST hygiene"
          description="Per client: LISTs that skip the watch cache (no resourceVersion=0), are not paginated, span the cluster, or repeat instead of watching — ranked by the objects they read, from the object counts in Prometheus."
          query={hygiene}
          isEmpty={(d) => d.rows.length === 0}
          emptyMessage="No LIST requests in this window."
          note={objectCounts ? "weighted by object counts" : "not weighted: no object counts from Prometheus"}
          bodyClassName=""
        >
          {(d) => <HygieneScorecard clients={hygieneScorecard(d.rows, objectCounts).slice(0, 8)} weighted={objectCounts !== null} onPickClient={(c) => pick("client", c)} />}
        </QueryPanel>
      </div>
      <h2 className="mt-2 text-sm font-semibold text-slate-700 dark:text-slate-200">The same window in Prometheus</h2>
      <p className="-mt-2 text-xs text-slate-500 dark:text-slate-400">
        What the API servers' own metrics say: requests by resource and verb, and APF's flow schemas — no client names, but they should agree with the audit view.
      </p>
      <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
        {prometheusPanels.map((meta) => (
          <PrometheusPanel key={meta.id} panel={meta} view={view} onZoom={onZoom} group="load" />
        ))}
      </div>
      <QueryPanel
        id="events"
        title="Requests (drill-down)"
        description="The stored requests of the selection, newest first."
        query={events}
        isEmpty={(d) => d.events.length === 0}
        emptyMessage="No requests stored in this window for this selection."
        bodyClassName=""
      >
        {(d) => (
          <EventsTable
            events={d.events}
            hasNext={d.next !== null}
            hasPrevious={cursors.length > 0}
            onNext={() => d.next && setPages({ key: pageKey, cursors: [...cursors, d.next] })}
            onPrevious={() => setPages({ key: pageKey, cursors: cursors.slice(0, -1) })}
          />
        )}
      </QueryPanel>
    </div>
  );
}
