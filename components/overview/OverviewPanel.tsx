"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { buildBarOption } from "@/components/charts/bar-option";
import { EChart } from "@/components/charts/EChart";
import { CHART_THEMES } from "@/components/charts/theme";
import { buildTimeseriesOption } from "@/components/charts/timeseries-option";
import { HeatmapChart } from "@/components/charts/HeatmapChart";
import { PanelFrame } from "@/components/panels/PanelFrame";
import { PanelMessage, PanelSkeleton } from "@/components/panels/PanelStates";
import { useElementWidth } from "@/components/panels/use-element-width";
import { useTheme } from "@/components/view/use-theme";
import { fetchPanel } from "@/lib/api-client";
import type { PanelData } from "@/lib/panels/types";
import { queryKeys } from "@/lib/query-keys";
import { parseDuration } from "@/lib/duration";
import type { ViewState } from "@/lib/url-state";

/** A failed panel tries again on its own, so it recovers when Prometheus is back. */
const ERROR_RETRY_MS = 10_000;

export interface PanelMeta {
  id: string;
  title: string;
  description: string;
}

export function refreshMs(refresh: ViewState["refresh"]): number | false {
  return refresh === "off" ? false : (parseDuration(refresh) ?? 0) * 1000 || false;
}

function isEmpty(data: PanelData): boolean {
  if (data.status !== "ok") return false;
  if (data.kind === "bar") return data.bars.length === 0;
  if (data.kind === "heatmap") return data.times.length === 0;
  return data.series.every((s) => s.role === "limit");
}

export function OverviewPanel({ meta, view, onZoom, group, params }: {
  meta: PanelMeta;
  view: ViewState;
  onZoom: (startMs: number, endMs: number) => void;
  group: string;
  /** Panel parameters beyond the view (the webhook of a webhook detail panel). */
  params?: Record<string, string>;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const { theme } = useTheme();
  const query = useQuery({
    queryKey: queryKeys.panel(meta.id, view, width, params),
    queryFn: ({ signal }) => fetchPanel(meta.id, view, width, signal, params),
    enabled: width > 0,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.status === "error" ? ERROR_RETRY_MS : refreshMs(view.refresh)),
  });
  const data = query.data;
  const option = useMemo(() => {
    if (!data || data.status !== "ok" || data.kind === "heatmap" || isEmpty(data)) return null;
    const colors = CHART_THEMES[theme];
    return data.kind === "timeseries" ? buildTimeseriesOption(data, colors) : buildBarOption(data, colors);
  }, [data, theme]);

  let state: string;
  let body: React.ReactNode;
  if (query.isError) {
    state = "error";
    body = <PanelMessage tone="error" title="Query failed" message={query.error.message} action={{ label: "Retry", onClick: () => void query.refetch() }} />;
  } else if (!data) {
    state = "loading";
    body = <PanelSkeleton />;
  } else if (data.status === "not-covered") {
    state = "not-covered";
    body = <PanelMessage tone="notice" title="Not covered by this Prometheus" message={data.message} />;
  } else if (data.status === "error") {
    state = "error";
    body = <PanelMessage tone="error" title="Query failed" message={data.message} />;
  } else if (isEmpty(data)) {
    state = "empty";
    body = <PanelMessage tone="empty" title="No data" message={data.emptyMessage} />;
  } else if (data.kind === "heatmap") {
    state = "ready";
    body = <HeatmapChart data={data} width={Math.max(0, width - 16)} height={240} theme={CHART_THEMES[theme]} label={meta.title} />;
  } else {
    state = "ready";
    body = (
      <EChart
        option={option!}
        label={meta.title}
        className="h-full w-full"
        group={data.kind === "timeseries" ? group : undefined}
        onZoom={data.kind === "timeseries" ? onZoom : undefined}
      />
    );
  }
  return (
    <PanelFrame
      id={meta.id}
      title={meta.title}
      description={meta.description}
      state={state}
      refreshing={query.isFetching && !!data}
      note={data?.status === "ok" ? data.note : undefined}
      promql={data?.status === "ok" ? data.promql : undefined}
    >
      <div ref={ref} className="h-full w-full overflow-hidden p-2">
        {body}
      </div>
    </PanelFrame>
  );
}
