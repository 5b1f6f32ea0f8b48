import { describe, expect, it } from "vitest";
import type { BreakdownAnswer } from "../audit/answers";
import { sortRows, sparklinePoints, tableCsv, tableRows } from "./breakdown-table";

const row = (keys: string[] | null, requests: number, extra: Partial<BreakdownAnswer["rows"][number]> = {}) => ({
  keys,
  requests,
  errors: 0,
  throttled: 0,
  p50: 0.01,
  p99: 0.1,
  seconds: requests * 0.01,
  sources: 1,
  rate: requests / 60,
  share: 0,
  ...extra,
});

const answer: BreakdownAnswer = {
  groupBy: ["client", "verb"],
  windowSeconds: 60,
  total: 1000,
  rows: [row(["agent", "list"], 600, { throttled: 40, p99: 2 }), row(["kubelet", "get"], 300, { p99: null }), row(null, 100, { sources: 9 })],
};

describe("breakdown table", () => {
  it("joins each group with its sparkline, other last", () => {
    const rows = tableRows(answer, [
      { keys: ["kubelet", "get"], points: [[0, 1], [1, 2]], requests: 300 },
      { keys: null, points: [[0, 5], [1, 0]], requests: 100 },
    ]);
    expect(rows.map((r) => [r.id, r.spark])).toEqual([
      ['["agent","list"]', []],
      ['["kubelet","get"]', [1, 2]],
      ["other", [5, 0]],
    ]);
  });

  it("sorts by any column either way, keeps other last and missing values at the end", () => {
    const rows = tableRows(answer, undefined);
    const order = (key: Parameters<typeof sortRows>[1], desc: boolean) => sortRows(rows, key, desc).map((r) => r.id);
    expect(order("requests", false)).toEqual(['["kubelet","get"]', '["agent","list"]', "other"]);
    expect(order("group", false)).toEqual(['["agent","list"]', '["kubelet","get"]', "other"]);
    expect(order("group", true)).toEqual(['["kubelet","get"]', '["agent","list"]', "other"]);
    expect(order("p99", true)).toEqual(['["agent","list"]', '["kubelet","get"]', "other"]);
    expect(order("p99", false)).toEqual(['["agent","list"]', '["kubelet","get"]', "other"]);
  });

  it("exports the rows shown, in their order, with exact numbers", () => {
    const csv = tableCsv(sortRows(tableRows(answer, undefined), "requests", false), answer.groupBy);
    expect(csv.split("\r\n")).toEqual([
      "client,verb,requests,rate_per_second,share,errors_5xx,throttled_429,p50_seconds,p99_seconds,distinct_sources",
      "kubelet,get,300,5,0,0,0,0.01,,1",
      "agent,list,600,10,0,0,40,0.01,2,1",
      "other,,100,1.667,0,0,0,0.01,0.1,9",
      "",
    ]);
  });

  it("draws sparklines from the bottom to the series' maximum", () => {
    expect(sparklinePoints([0, 5, 10], 100, 20)).toBe("0,20 50,10 100,0");
    expect(sparklinePoints([0, 0], 10, 4)).toBe("0,4 10,4");
    expect(sparklinePoints([], 10, 4)).toBe("");
  });
});
