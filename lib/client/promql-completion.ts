// Completion for the PromQL editor through apiscope's own allow-listed Prometheus endpoints (GET
// /api/prometheus/{labels,label_values,series,metadata}): the editor never reaches Prometheus any other way.
import type { PrometheusClient } from "@prometheus-io/codemirror-promql";
import { EqlRegex, EqlSingle, Neq, NeqRegex } from "@prometheus-io/lezer-promql";
import { quoteLabelValue } from "../promql";
import { fetchPrometheusApi } from "./api";

const OPS: Record<number, string> = { [EqlSingle]: "=", [Neq]: "!=", [EqlRegex]: "=~", [NeqRegex]: "!~" };

type Matcher = NonNullable<Parameters<PrometheusClient["labelValues"]>[2]>[number];
type Metadata = Awaited<ReturnType<PrometheusClient["metricMetadata"]>>;

function matchOf(metricName: string | undefined, matchers: readonly Matcher[] = []): string {
  const inner = matchers
    .filter((m) => m.name !== "__name__" && OPS[m.type])
    .map((m) => `${m.name}${OPS[m.type]}${quoteLabelValue(m.value)}`)
    .join(",");
  return `${metricName ?? ""}{${inner}}`;
}

/** A completion source over the window [startSeconds, endSeconds] (the page's window: what the rule will read). */
export function completionClient(window: () => { startSeconds: number; endSeconds: number }): PrometheusClient {
  const range = () => {
    const { startSeconds, endSeconds } = window();
    return { start: String(Math.floor(startSeconds)), end: String(Math.ceil(endSeconds)) };
  };
  return {
    labelNames: (metricName) => fetchPrometheusApi<string[]>("labels", { ...range(), ...(metricName ? { "match[]": [matchOf(metricName)] } : {}) }),
    labelValues: (labelName, metricName, matchers) =>
      fetchPrometheusApi<string[]>("label_values", { ...range(), label: labelName, ...(metricName || matchers?.length ? { "match[]": [matchOf(metricName, matchers)] } : {}) }),
    metricNames: () => fetchPrometheusApi<string[]>("label_values", { ...range(), label: "__name__" }),
    series: async (metricName, matchers, labelName) => {
      const rows = await fetchPrometheusApi<Array<Record<string, string>>>("series", { ...range(), "match[]": [matchOf(metricName, matchers)] });
      return rows.map((r) => new Map(Object.entries(labelName ? { [labelName]: r[labelName] ?? "" } : r)));
    },
    metricMetadata: () => fetchPrometheusApi<Metadata>("metadata", { limit: "1000" }),
    flags: async () => ({}),
  };
}
