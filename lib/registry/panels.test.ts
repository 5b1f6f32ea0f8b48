import { describe, expect, it } from "vitest";
import { schemaFromDiscovery } from "../prometheus/schema";
import type { PanelContext } from "../panels/panel-def";
import { ADMISSION_PANELS, WEBHOOK_PANELS } from "../webhooks/panels";
import { APF_PANELS } from "../apf/panels";
import { findPanel, LOAD_PANELS, OVERVIEW_PANELS } from "./panels";
import { viewSelector } from "../panels/run-panel";

const ctx: PanelContext = {
  sel: 'job="apiserver"',
  rateWindow: "120s",
  rangeWindow: "3600s",
  targetLabels: "job, instance",
  inflightLimits: { readOnly: 400, mutating: 200 },
  webhookSel: "",
};

const modern = schemaFromDiscovery({
  names: [
    "apiserver_request_total",
    "apiserver_request_duration_seconds_bucket",
    "apiserver_current_inflight_requests",
    "apiserver_flowcontrol_dispatched_requests_total",
    "apiserver_flowcontrol_nominal_limit_seats",
    "apiserver_flowcontrol_current_executing_seats",
    "apiserver_flowcontrol_request_wait_duration_seconds_bucket",
    "apiserver_resource_objects",
    "etcd_request_duration_seconds_bucket",
    "apiserver_longrunning_requests",
    "process_resident_memory_bytes",
    "process_cpu_seconds_total",
  ],
  labels: { apiserver_current_inflight_requests: ["request_kind"], etcd_request_duration_seconds_bucket: ["group", "resource", "operation"] },
});
const legacy = schemaFromDiscovery({
  names: ["apiserver_request_total", "apiserver_current_inflight_requests", "etcd_object_counts", "apiserver_longrunning_gauge", "etcd_request_duration_seconds_bucket"],
  labels: { apiserver_current_inflight_requests: ["requestKind"], etcd_request_duration_seconds_bucket: ["operation", "type"] },
});

const build = (id: string, schema = modern) => findPanel(id)!.build(schema, ctx);

describe("overview panel queries", () => {
  it("have unique ids", () => {
    // Pages may share a panel.
    const all = [...new Set([...OVERVIEW_PANELS, ...LOAD_PANELS, ...ADMISSION_PANELS, ...WEBHOOK_PANELS, ...APF_PANELS])];
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
  });
  it("select one webhook's series for its detail panels, and all webhooks without one", () => {
    const one = { ...ctx, webhookSel: 'name="policy.example.com",type="validating"' };
    expect(findPanel("webhook-heatmap")!.build(modern, one).promql).toBe(
      'sum by (job, instance, le) (apiserver_admission_webhook_admission_duration_seconds_bucket{job="apiserver",name="policy.example.com",type="validating"})',
    );
    expect(findPanel("webhook-rejections")!.build(modern, one).promql).toContain('apiserver_admission_webhook_fail_open_count{job="apiserver",name="policy.example.com",type="validating"}');
    expect(findPanel("webhook-latency")!.build(modern, ctx).promql).toContain('apiserver_admission_webhook_admission_duration_seconds_bucket{job="apiserver"}[120s]');
    expect(findPanel("webhook-heatmap")!.coverage(modern)).toMatch(/no admission-webhook metrics/);
  });
  it("break APF's dispatched requests down by flow schema and priority level", () => {
    expect(build("apf-flow-schemas").promql).toBe(
      'topk(15, sum by (flow_schema, priority_level) (rate(apiserver_flowcontrol_dispatched_requests_total{job="apiserver"}[3600s])))',
    );
    expect(findPanel("apf-flow-schemas")!.coverage(legacy)).toMatch(/APF/);
  });
  it("keep WATCH and CONNECT out of latency and aggregate histograms across API servers before the quantile", () => {
    const q = build("latency-by-verb").promql;
    expect(q).toContain('verb!~"WATCH|WATCHLIST|CONNECT|PROXY"');
    expect(q).toMatch(/histogram_quantile\(0\.99, sum by \(verb, le\) \(rate\(apiserver_request_duration_seconds_bucket/);
    expect(q).not.toMatch(/avg/);
  });
  it("choose label and metric names per Kubernetes version", () => {
    expect(build("inflight").promql).toContain("apiserver_flowcontrol_current_executing_seats");
    expect(build("inflight").promql).toContain("apiserver_flowcontrol_nominal_limit_seats");
    expect(build("inflight", legacy).promql).toContain("max by (requestKind)");
    expect(build("object-counts").promql).toContain("max by (group, resource) (last_over_time(apiserver_resource_objects");
    expect(build("object-counts", legacy).promql).toContain("max by (resource) (last_over_time(etcd_object_counts");
    expect(build("etcd-latency-by-resource").promql).toContain("sum by (group, resource, le)");
    expect(build("etcd-latency-by-resource", legacy).promql).toContain("sum by (type, le)");
    expect(build("long-running", legacy).promql).toContain("apiserver_longrunning_gauge");
    expect(build("apf-utilisation").promql).toContain("apiserver_flowcontrol_current_executing_seats");
  });
  it("fall back to the configured in-flight limits without APF, each named for the kind it limits", () => {
    const q = build("inflight", legacy);
    expect(q.kind === "range" && q.thresholds).toEqual([
      { name: "readOnly limit (--max-requests-inflight)", value: 400 },
      { name: "mutating limit (--max-mutating-requests-inflight)", value: 200 },
    ]);
    // Each kind on the API server with the most of it: a per-server value against a per-server flag.
    expect(q.promql).toBe('max by (requestKind) (apiserver_current_inflight_requests{job="apiserver"})');
  });
  it("draw in-flight seats and the seat limit of one and the same API server", () => {
    const q = build("inflight");
    if (q.kind !== "range") throw new Error(q.kind);
    const perServerInUse =
      "(sum by (job, instance) (apiserver_flowcontrol_current_executing_seats{job=\"apiserver\"} and on (job, instance, priority_level)" +
      ' (apiserver_flowcontrol_nominal_limit_seats{job="apiserver"} > 0)) or 0 * sum by (job, instance) (apiserver_flowcontrol_nominal_limit_seats{job="apiserver"}))';
    const busiest = `topk(1, ${perServerInUse})`;
    // Both lines come from the server topk picks at each step: seats in use (all levels but exempt, which APF does
    // not limit) and that server's own limit, the sum of its levels' nominal seats. Nothing is summed over servers.
    expect(q.promql).toBe(
      `label_replace(max(${busiest}), "series", "seats in use", "", "")` +
        ` or label_replace(max(sum by (job, instance) (apiserver_flowcontrol_nominal_limit_seats{job="apiserver"}) and on (job, instance) ${busiest}), "series", "seat limit", "", "")`,
    );
    expect(q.legend({ series: "seat limit" })).toBe("seat limit");
    expect(q.role?.({ series: "seat limit" })).toBe("limit");
    expect(q.role?.({ series: "seats in use" })).toBeUndefined();
    expect(q.thresholds ?? []).toEqual([]);
    // Before 1.28 only executing requests are exposed, and the line says so.
    const older = schemaFromDiscovery({
      names: ["apiserver_flowcontrol_request_concurrency_limit", "apiserver_flowcontrol_current_executing_requests"],
      labels: {},
    });
    const o = build("inflight", older).promql;
    expect(o).toContain('"series", "requests executing"');
    expect(o).toContain("sum by (job, instance) (apiserver_flowcontrol_current_executing_requests{");
    expect(o).toContain("sum by (job, instance) (apiserver_flowcontrol_request_concurrency_limit{");
    expect(findPanel("inflight")!.coverage(older)).toBeNull();
  });
  it("stack 5xx apart from the other codes, with 429 at the bottom of the stack", () => {
    const q = build("requests-by-code");
    if (q.kind !== "range") throw new Error(q.kind);
    expect(q.stacked).toBe(true);
    expect(q.role?.({ code_class: "5xx" })).toBe("unstacked");
    for (const c of ["2xx", "3xx", "4xx", "429"]) expect(q.role?.({ code_class: c }), c).toBeUndefined();
    expect(q.order?.slice(0, 4)).toEqual(["429", "4xx", "3xx", "2xx"]);
  });
  it("describe how each panel draws what it draws", () => {
    const d = (id: string) => findPanel(id)!.description;
    expect(d("requests-by-code")).toMatch(/429 \(amber: throttled/);
    expect(d("requests-by-code")).toMatch(/5xx \(red: server errors\).*never stacked/);
    expect(d("inflight")).toMatch(/busiest API server.*never summed over servers/);
    expect(d("inflight")).toMatch(/that same server's seat limit/);
  });
  it("say what is missing instead of drawing an empty chart", () => {
    expect(findPanel("apf-rejections")!.coverage(legacy)).toMatch(/^This Prometheus has no APF metrics — APF needs Kubernetes ≥ 1.20/);
    expect(findPanel("apf-rejections")!.coverage(modern)).toBeNull();
    const empty = schemaFromDiscovery({ names: [], labels: {} });
    for (const p of OVERVIEW_PANELS) expect(p.coverage(empty), p.id).toMatch(/This Prometheus has no/);
  });
  it("scope every query to the API servers in view", () => {
    for (const p of OVERVIEW_PANELS) expect(p.build(modern, ctx).promql, p.id).toMatch(/[{,]job="apiserver"[,}]/);
  });
  it("escape cluster and instance values from the URL", () => {
    expect(viewSelector('job="apiserver"', 'evil"} or vector(1) or {x="', "")).toBe('job="apiserver",cluster="evil\\"} or vector(1) or {x=\\""');
    expect(viewSelector("", "", "10.0.0.1:6443")).toBe('instance="10.0.0.1:6443"');
  });
});
