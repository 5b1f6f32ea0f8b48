"use client";
// The one Prometheus panel of every page: a registered panel (by id; its PromQL is built on the server) or an ad-hoc
// PromQL expression (drawn from GET /api/prometheus/query_range, shaped like a registered panel), drawn as a time
// series, bars or a heatmap, on the one state ladder of QueryPanel.
import { useMemo } from "react";
import { buildBarOption } from "@/components/charts/bar-option";
import { EChart } from "@/components/charts/EChart";
import { CHART_THEMES } from "@/components/charts/theme";
import { buildTimeseriesOption } from "@/components/charts/timeseries-option";
import { HeatmapChart } from "@/components/charts/HeatmapChart";
import { useTheme } from "@/components/view/use-theme";
import { usePanelQuery } from "@/lib/client/hooks";
import { panelId, type PanelSource } from "@/lib/client/panel-source";
import { alertNameFrom, draftHref } from "@/lib/alerts/draft-link";
import type { PanelAnswer } from "@/lib/panels/types";
import { serializeViewState, shareableView, type ViewState } from "@/lib/url-state";
import { isEmptyPanel, notCoveredReason } from "./panel-state";
import { QueryPanel } from "./QueryPanel";
import { useElementWidth } from "./use-element-width";

export function PrometheusPanel({ panel, view, onZoom, group, params, className }: {
  /** A registered panel (`{ id, title, description }`) or an ad-hoc query (`{ promql, title, unit, description }`). */
  panel: PanelSource;
  view: ViewState;
  onZoom: (startMs: number, endMs: number) => void;
  /** Charts of one group share the crosshair. */
  group: string;
  /** Parameters of a registered panel beyond the view (the webhook of a webhook detail panel). */
  params?: Record<string, string>;
  className?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const { theme } = useTheme();
  const query = usePanelQuery(panel, view, width, params);
  const data = query.data;
  const option = useMemo(() => {
    if (!data || data.status !== "ok" || data.kind === "heatmap" || isEmptyPanel(data)) return null;
    const colors = CHART_THEMES[theme];
    return data.kind === "timeseries" ? buildTimeseriesOption(data, colors) : buildBarOption(data, colors);
  }, [data, theme]);
  const ok = data?.status === "ok" ? data : undefined;
  const alertHref = ok ? alertDraftHref(panel.title, ok, view) : undefined;

  return (
    <QueryPanel
      id={panelId(panel)}
      title={panel.title}
      description={panel.description}
      query={query}
      notCovered={notCoveredReason}
      isEmpty={isEmptyPanel}
      emptyMessage={(d) => (d.status === "ok" ? d.emptyMessage : "")}
      note={ok?.note}
      promql={ok?.promql}
      alertHref={alertHref}
      className={className}
      bodyClassName="h-64"
      placeholderClassName="h-64"
      bodyRef={ref}
    >
      {(d) =>
        d.status !== "ok" ? null : (
          <div className="h-full w-full overflow-hidden p-2">
            {d.kind === "heatmap" ? (
              <HeatmapChart data={d} width={Math.max(0, width - 16)} height={240} theme={CHART_THEMES[theme]} label={panel.title} />
            ) : (
              option && (
                <EChart
                  option={option}
                  label={panel.title}
                  className="h-full w-full"
                  group={d.kind === "timeseries" ? group : undefined}
                  onZoom={d.kind === "timeseries" ? onZoom : undefined}
                />
              )
            )}
          </div>
        )
      }
    </QueryPanel>
  );
}

/** A draft rule on the panel's PromQL, over the same window (pinned), above the panel's own threshold when it has one. */
function alertDraftHref(title: string, data: Extract<PanelAnswer, { status: "ok" }>, view: ViewState): string {
  const threshold = data.kind === "timeseries" ? data.thresholds[0] : undefined;
  const expr = threshold ? `${data.promql} > ${threshold.value}` : data.promql;
  return draftHref([{ name: alertNameFrom(title), expr }], serializeViewState(shareableView(view, Date.now())));
}
