import { describe, expect, it } from "vitest";
import { MAX_SERIES_SHOWN } from "../panels/shape";
import { planRange } from "../prometheus/step";
import { isAdHoc, legendOf, panelId, shapeAdHoc, type AdHocQuery, type QueryRangeAnswer } from "./panel-source";

const query: AdHocQuery = {
  promql: 'sum by (client, code_class) (rate(apiscope_audit_requests_total{client="telemetry-agent"}[5m]))',
  title: "Requests of telemetry-agent",
  unit: "reqps",
  description: "its requests per second",
};
// What GET /api/prometheus/query_range answers: the server's plan of the window (aligned to the step) and the series.
const plan = planRange(1_700_000_017_000, 1_700_003_593_000, 300, 30);
const answer = (series: QueryRangeAnswer["series"]): QueryRangeAnswer => ({ ...plan, series });
const at = (i: number) => (plan.startSeconds + i * plan.stepSeconds) * 1000;

describe("an ad-hoc PromQL panel", () => {
  it("is told apart from a registered panel, and gets a DOM id from its title unless it has one", () => {
    expect(isAdHoc(query)).toBe(true);
    expect(isAdHoc({ id: "requests-by-code", title: "t", description: "d" })).toBe(false);
    expect(panelId(query)).toBe("requests-of-telemetry-agent");
    expect(panelId({ ...query, id: "rule-0" })).toBe("rule-0");
    expect(panelId({ id: "cpu", title: "API server CPU", description: "" })).toBe("cpu");
    expect(panelId({ ...query, title: "∑" })).toBe("promql");
  });

  it("shapes a query_range answer into time-series panel data on the planned axis", () => {
    const data = shapeAdHoc(query, answer([{ labels: { client: "telemetry-agent", code_class: "429" }, points: [[at(0), 1], [at(1), null], [at(2), 3]] }]));
    expect(plan.stepSeconds).toBe(60);
    expect(data).toEqual({
      status: "ok",
      kind: "timeseries",
      promql: query.promql,
      unit: "reqps",
      emptyMessage: "No samples in this time range",
      note: undefined,
      stacked: false,
      series: [{ name: '{client="telemetry-agent", code_class="429"}', points: [[at(0), 1], [at(1), null], [at(2), 3]] }],
      thresholds: [],
      startMs: plan.startSeconds * 1000,
      endMs: plan.endSeconds * 1000,
      stepMs: 60_000,
    });
  });

  it("names series from their labels: a template, all labels with the metric name, or the title for none", () => {
    expect(legendOf({ client: "a", code: "429" }, "{{client}} {{ code }} {{missing}}", "t")).toBe("a 429 ");
    expect(legendOf({ __name__: "up", job: "apiserver", instance: "10.0.0.1:6443" }, undefined, "t")).toBe('up{instance="10.0.0.1:6443", job="apiserver"}');
    expect(legendOf({ __name__: "up" }, undefined, "t")).toBe("up");
    expect(legendOf({}, undefined, "Requests")).toBe("Requests");
    expect(legendOf({ path: 'say "hi"' }, undefined, "t")).toBe('{path="say \\"hi\\""}');
    const data = shapeAdHoc({ ...query, legend: "{{code_class}}", stacked: true }, answer([
      { labels: { code_class: "429" }, points: [[at(0), 1]] },
      { labels: { code_class: "2xx" }, points: [[at(0), 5]] },
    ]));
    expect(data.series.map((s) => s.name)).toEqual(["2xx", "429"]);
    expect(data.stacked).toBe(true);
  });

  it("keeps the busiest series, says how many there were, and keeps the threshold lines it was given", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ labels: { client: `c${String(i).padStart(2, "0")}` }, points: [[at(0), i] as [number, number]] }));
    const data = shapeAdHoc({ ...query, legend: "{{client}}", thresholds: [{ name: "alert", value: 10 }] }, answer(many));
    expect(data.series).toHaveLength(MAX_SERIES_SHOWN);
    expect(data.series[0]!.name).toBe("c08");
    expect(data.note).toBe(`showing the ${MAX_SERIES_SHOWN} busiest of 20 series`);
    expect(data.thresholds).toEqual([{ name: "alert", value: 10 }]);
  });

  it("is empty without samples, with its own empty message when it has one", () => {
    expect(shapeAdHoc(query, answer([])).series).toEqual([]);
    expect(shapeAdHoc({ ...query, emptyMessage: "The client sent nothing" }, answer([{ labels: {}, points: [[at(0), null]] }]))).toMatchObject({
      series: [],
      emptyMessage: "The client sent nothing",
    });
  });
});
