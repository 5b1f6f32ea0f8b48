import { describe, expect, it } from "vitest";
import type { PanelContext } from "../panels/panel-def";
import { schemaFromDiscovery } from "../prometheus/schema";
import { apfByFlowSchema, APF_PANELS } from "./panels";
import { peakStepSeconds, statusQueries } from "./status-queries";

const findPanel = (id: string) => [...APF_PANELS, apfByFlowSchema].find((p) => p.id === id);

const ctx: PanelContext = {
  sel: 'job="apiserver"',
  rateWindow: "120s",
  rangeWindow: "3600s",
  targetLabels: "job, instance",
  inflightLimits: { readOnly: 400, mutating: 200 },
  webhookSel: "",
};

const APF_COMMON = [
  "apiserver_flowcontrol_dispatched_requests_total",
  "apiserver_flowcontrol_current_inqueue_requests",
  "apiserver_flowcontrol_current_executing_requests",
  "apiserver_flowcontrol_request_wait_duration_seconds_bucket",
];
// The APF families of the real dumps (test/fixtures/nri-kubernetes); none has a rejection since its start.
const schemas = {
  "1.17": schemaFromDiscovery({ names: ["apiserver_request_total"], labels: {} }),
  "1.22": schemaFromDiscovery({ names: [...APF_COMMON, "apiserver_flowcontrol_request_concurrency_limit"], labels: {} }),
  "1.27": schemaFromDiscovery({
    names: [...APF_COMMON, "apiserver_flowcontrol_request_concurrency_limit", "apiserver_flowcontrol_nominal_limit_seats"],
    labels: {},
  }),
  "1.31": schemaFromDiscovery({
    names: [...APF_COMMON, "apiserver_flowcontrol_nominal_limit_seats", "apiserver_flowcontrol_current_executing_seats"],
    labels: {},
  }),
};

describe("APF panels", () => {
  it("are listed in page order", () => {
    expect(APF_PANELS.map((p) => p.id)).toEqual([
      "apf-utilisation",
      "apf-executing-queued",
      "apf-queue-wait",
      "apf-rejections",
      "apf-dispatch-rate",
      "apf-flow-schema-dispatched",
      "apf-flow-schema-rejected",
    ]);
  });

  it("say APF needs Kubernetes 1.20 where there is none", () => {
    for (const p of APF_PANELS) {
      expect(p.coverage(schemas["1.17"]), p.id).toMatch(/^This Prometheus has no APF metrics — APF needs Kubernetes ≥ 1.20/);
    }
  });

  it("cover every version with APF, each with its own metric names", () => {
    for (const version of ["1.22", "1.27", "1.31"] as const) {
      for (const p of APF_PANELS) expect(p.coverage(schemas[version]), `${version} ${p.id}`).toBeNull();
    }
    const utilisation = findPanel("apf-utilisation")!;
    const q22 = utilisation.build(schemas["1.22"], ctx).promql;
    expect(q22).toContain("apiserver_flowcontrol_current_executing_requests{");
    expect(q22).toContain("apiserver_flowcontrol_request_concurrency_limit{");
    expect(utilisation.build(schemas["1.27"], ctx).promql).toContain("apiserver_flowcontrol_nominal_limit_seats{");
    expect(utilisation.build(schemas["1.31"], ctx).promql).toContain("apiserver_flowcontrol_current_executing_seats{");
  });

  it("name what is missing when APF is only partly there", () => {
    const partial = schemaFromDiscovery({ names: ["apiserver_flowcontrol_dispatched_requests_total"], labels: {} });
    expect(findPanel("apf-utilisation")!.coverage(partial)).toMatch(
      /nominal_limit_seats \(Kubernetes 1.26\+\) or .*request_concurrency_limit \(1.20–1.30\)/,
    );
    expect(findPanel("apf-executing-queued")!.coverage(partial)).toMatch(/no APF executing gauge/);
    expect(findPanel("apf-queue-wait")!.coverage(partial)).toMatch(/no APF queue-wait histogram/);
    expect(findPanel("apf-dispatch-rate")!.coverage(partial)).toBeNull();
    // The rejected counter exists only after a first rejection: its absence is an empty panel, not a gap.
    expect(findPanel("apf-rejections")!.coverage(partial)).toBeNull();
    expect(findPanel("apf-rejections")!.emptyMessage(partial)).toBe("No request was rejected by APF in this window");
  });

  it("break flow schemas down with their priority level in the legend", () => {
    const q = findPanel("apf-flow-schema-rejected")!.build(schemas["1.31"], ctx);
    expect(q.promql).toBe(
      'sum by (flow_schema, priority_level) (rate(apiserver_flowcontrol_rejected_requests_total{job="apiserver"}[120s]))',
    );
    const legend = q.kind === "range" && q.legend({ flow_schema: "service-accounts", priority_level: "workload-low" });
    expect(legend).toBe("service-accounts → workload-low");
    const eq = findPanel("apf-executing-queued")!.build(schemas["1.31"], ctx);
    expect(eq.promql).toContain('"state", "queued"');
    expect(eq.kind === "range" && eq.legend({ priority_level: "workload-low", state: "queued" })).toBe("workload-low · queued");
  });

  it("scope every query to the API servers in view", () => {
    for (const p of APF_PANELS) expect(p.build(schemas["1.31"], ctx).promql, p.id).toMatch(/[{,]job="apiserver"[,}]/);
  });
});

describe("APF status queries", () => {
  const o = { sel: 'job="apiserver"', windowSeconds: 3600, targetLabels: "job, instance", peakStepSeconds: 30 };

  it("read peaks at scrape resolution from a subquery, per API server", () => {
    const q = statusQueries(schemas["1.31"], o);
    expect(q.peakInUse).toBe(
      'max_over_time(sum by (job, instance, priority_level) (apiserver_flowcontrol_current_executing_seats{job="apiserver"})[3600s:30s])',
    );
    expect(q.nominal).toBe(
      'max by (job, instance, priority_level) (last_over_time(apiserver_flowcontrol_nominal_limit_seats{job="apiserver"}[3600s]))',
    );
    expect(statusQueries(schemas["1.22"], o).nominal).toContain("apiserver_flowcontrol_request_concurrency_limit");
    expect(statusQueries(schemas["1.22"], o).peakInUse).toContain("apiserver_flowcontrol_current_executing_requests");
  });

  it("count a rejected series born in the window from its first value", () => {
    const q = statusQueries(schemas["1.31"], o).rejected;
    expect(q).toContain(
      'sum by (flow_schema, priority_level, reason) (increase(apiserver_flowcontrol_rejected_requests_total{job="apiserver"}[3600s]))',
    );
    expect(q).toContain('unless apiserver_flowcontrol_rejected_requests_total{job="apiserver"} offset 3600s');
    expect(q).toContain('and on (job, instance) apiserver_flowcontrol_dispatched_requests_total{job="apiserver"} offset 3600s');
  });

  it("leave out what this Prometheus lacks", () => {
    const none = statusQueries(schemaFromDiscovery({ names: ["apiserver_flowcontrol_dispatched_requests_total"], labels: {} }), o);
    expect([none.nominal, none.peakInUse, none.peakQueued, none.waitP99]).toEqual([null, null, null, null]);
    expect(none.dispatched).not.toBeNull();
  });

  it("keep peak subqueries within a point budget", () => {
    expect(peakStepSeconds(3600, 30)).toBe(30);
    expect(peakStepSeconds(7 * 86400, 30)).toBe(61);
  });
});
