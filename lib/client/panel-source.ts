// What a Prometheus panel in the browser draws: a registered panel (its id; the server builds its PromQL) or an
// ad-hoc PromQL expression, which the browser sends to the allow-listed GET /api/prometheus/query_range and shapes
// here, with the panel engine's own pure shaping, into the same answer a registered panel gets.
import type { Unit } from "../format";
import { NO_DATA_IN_RANGE } from "../panels/panel-def";
import { shapeTimeseries } from "../panels/shape";
import type { Threshold, TimeseriesData } from "../panels/types";
import type { RangePlan } from "../prometheus/step";
import type { Labels, RangeSeries } from "../prometheus/types";

/** A registered panel as it travels to the browser: its id (GET /api/panels/{id}), title and description. */
export interface PanelMeta {
  id: string;
  title: string;
  description: string;
}

/** An ad-hoc range query drawn as a time-series panel (e.g. an alert rule's expression). */
export interface AdHocQuery {
  promql: string;
  title: string;
  unit: Unit;
  description: string;
  /** The panel's DOM id (`data-panel`); a slug of the title when left out. */
  id?: string;
  /** Legend template such as `{{client}} {{code}}`; without it, every label (`{client="a", code="429"}`). */
  legend?: string;
  stacked?: boolean;
  /** Reference lines (an alert's threshold). */
  thresholds?: Threshold[];
  /** What an empty result means; "No samples in this time range" when left out. */
  emptyMessage?: string;
}

export type PanelSource = PanelMeta | AdHocQuery;

export const isAdHoc = (source: Pick<PanelMeta, "id"> | AdHocQuery): source is AdHocQuery => "promql" in source;

export function panelId(source: PanelSource): string {
  if (!isAdHoc(source)) return source.id;
  return source.id ?? (source.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "promql");
}

/** The `data` of GET /api/prometheus/query_range: the step plan the server chose (aligned) and the series. */
export type QueryRangeAnswer = RangePlan & { series: RangeSeries[] };

/** A series' legend: the template with `{{label}}` filled in, or all labels as Prometheus writes them. */
export function legendOf(labels: Labels, template: string | undefined, fallback: string): string {
  if (template !== undefined) return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? "");
  const { __name__: name = "", ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  if (pairs.length === 0) return name || fallback;
  return `${name}{${pairs.join(", ")}}`;
}

/** A query_range answer as the time-series panel data a registered panel would get (busiest series kept). */
export function shapeAdHoc(query: AdHocQuery, answer: QueryRangeAnswer): TimeseriesData {
  const { series, ...plan } = answer;
  return shapeTimeseries(
    { unit: query.unit },
    {
      kind: "range",
      promql: query.promql,
      legend: (labels) => legendOf(labels, query.legend, query.title),
      stacked: query.stacked,
      thresholds: query.thresholds,
    },
    series,
    plan,
    query.emptyMessage ?? NO_DATA_IN_RANGE,
  );
}
