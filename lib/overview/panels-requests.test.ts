import { describe, expect, it } from "vitest";
import type { RangePlan } from "../prometheus/step";
import { schemaFromDiscovery } from "../prometheus/schema";
import { shapeTimeseries } from "../panels/shape";
import { requestsByCode } from "./panels-requests";

const plan: RangePlan = { startSeconds: 1000, endSeconds: 4600, stepSeconds: 60, rateWindowSeconds: 120 };

describe("request rate by response code", () => {
  it("orders response codes as the panel stacks them: 429 at the bottom, 5xx apart", () => {
    const def = requestsByCode;
    const ctx = { sel: 'job="apiserver"', rateWindow: "120s", rangeWindow: "3600s", targetLabels: "job, instance", inflightLimits: { readOnly: 400, mutating: 200 }, webhookSel: "" };
    const query = def.build(schemaFromDiscovery({ names: ["apiserver_request_total"], labels: {} }), ctx);
    if (query.kind !== "range") throw new Error(query.kind);
    const result = ["2xx", "5xx", "429", "3xx", "4xx"].map((c) => ({ labels: { code_class: c }, points: [[1000_000, 1]] as Array<[number, number]> }));
    const data = shapeTimeseries(def, query, result, plan, "none");
    expect(data.series.map((s) => [s.name, s.role])).toEqual([
      ["429", undefined],
      ["4xx", undefined],
      ["3xx", undefined],
      ["2xx", undefined],
      ["5xx", "unstacked"],
    ]);
  });
});
