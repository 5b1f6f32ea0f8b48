import { describe, expect, it } from "vitest";
import type { PanelAnswer, TimeseriesData } from "@/lib/panels/types";
import { isEmptyPanel, notCoveredReason, panelState, refreshNotice, type AnswerReading } from "./panel-state";

const series: TimeseriesData = {
  status: "ok",
  kind: "timeseries",
  promql: "q",
  unit: "reqps",
  emptyMessage: "No request was rejected by APF in this window",
  stacked: false,
  series: [{ name: "LIST", points: [[0, 1]] }],
  thresholds: [],
  startMs: 0,
  endMs: 60_000,
  stepMs: 60_000,
};
const empty: PanelAnswer = { ...series, series: [{ name: "limit", points: [[0, 400]], role: "limit" }] };
const notCovered: PanelAnswer = { status: "not-covered", message: "This Prometheus has no APF metrics" };
const reading: AnswerReading<PanelAnswer> = { notCovered: notCoveredReason, isEmpty: isEmptyPanel };
const failed = new Error("Prometheus unreachable at http://p:9090 (connection refused)");
const q = (data: PanelAnswer | undefined, error: Error | null = null) => ({ data, isError: error !== null, error });

describe("the panel state ladder", () => {
  it("goes skeleton → data → data kept with a notice → error → empty → not covered", () => {
    expect(panelState(q(undefined), reading)).toBe("loading");
    expect(panelState(q(series), reading)).toBe("ready");
    expect(panelState(q(series, failed), reading)).toBe("stale");
    expect(panelState(q(undefined, failed), reading)).toBe("error");
    expect(panelState(q(empty), reading)).toBe("empty");
    expect(panelState(q(notCovered), reading)).toBe("not-covered");
  });

  it("keeps earlier data when a refetch fails, and says why; a first failure has nothing to keep", () => {
    expect(refreshNotice(q(series, failed))).toBe(`refresh failed: ${failed.message}`);
    expect(refreshNotice(q(series))).toBeUndefined();
    expect(refreshNotice(q(undefined, failed))).toBeUndefined();
  });

  it("keeps an earlier empty or not-covered answer as it was, with the same notice", () => {
    expect(panelState(q(empty, failed), reading)).toBe("empty");
    expect(panelState(q(notCovered, failed), reading)).toBe("not-covered");
    expect(refreshNotice(q(notCovered, failed))).toBe(`refresh failed: ${failed.message}`);
  });

  it("reads a panel with nothing but reference lines, bars or heatmap cells as empty", () => {
    expect(isEmptyPanel(series)).toBe(false);
    expect(isEmptyPanel(empty)).toBe(true);
    expect(isEmptyPanel(notCovered)).toBe(false);
    expect(isEmptyPanel({ status: "ok", kind: "bar", promql: "q", unit: "count", emptyMessage: "", bars: [], atMs: 0, windowSeconds: 60 })).toBe(true);
    expect(
      isEmptyPanel({ status: "ok", kind: "heatmap", promql: "q", unit: "seconds", emptyMessage: "", times: [], uppers: [], counts: [], quantiles: [], startMs: 0, endMs: 1, stepMs: 1 }),
    ).toBe(true);
  });

  it("works for any answer: an audit table without a not-covered case", () => {
    const rows = { isEmpty: (d: { rows: number[] }) => d.rows.length === 0 };
    expect(panelState({ data: { rows: [1] }, isError: true }, rows)).toBe("stale");
    expect(panelState({ data: { rows: [] }, isError: false }, rows)).toBe("empty");
    expect(notCoveredReason({ status: "ok" })).toBeNull();
  });
});
