import { describe, expect, it } from "vitest";
import { hasApf, metricsNeedingLabels, schemaFromDiscovery } from "./schema";

describe("metric schema from discovery", () => {
  it("prefers the newest spelling when several coexist", () => {
    const s = schemaFromDiscovery({
      names: ["apiserver_resource_objects", "apiserver_storage_objects", "apiserver_flowcontrol_nominal_limit_seats", "apiserver_flowcontrol_request_concurrency_limit", "apiserver_longrunning_requests", "apiserver_longrunning_gauge"],
      labels: {},
    });
    expect(s.objectCount).toEqual({ metric: "apiserver_resource_objects", hasGroup: true });
    expect(s.apfLimitMetric).toBe("apiserver_flowcontrol_nominal_limit_seats");
    expect(s.longRunningMetric).toBe("apiserver_longrunning_requests");
    expect(hasApf(s)).toBe(true);
  });
  it("reads label spellings of old versions", () => {
    const s = schemaFromDiscovery({
      names: ["apiserver_current_inflight_requests", "etcd_request_duration_seconds_bucket", "etcd_object_counts", "apiserver_longrunning_gauge"],
      labels: { apiserver_current_inflight_requests: ["__name__", "instance", "job", "requestKind"], etcd_request_duration_seconds_bucket: ["operation", "type", "le"] },
    });
    expect(s.requestKindLabel).toBe("requestKind");
    expect(s.etcdResourceLabels).toBe("type");
    expect(s.objectCount?.metric).toBe("etcd_object_counts");
    expect(s.apfLimitMetric).toBeNull();
    expect(hasApf(s)).toBe(false);
    expect(s.hasClusterLabel).toBe(false);
  });
  it("sees 1.34's etcd labels and a cluster label", () => {
    const s = schemaFromDiscovery({
      names: ["apiserver_current_inflight_requests", "etcd_request_duration_seconds_bucket"],
      labels: { apiserver_current_inflight_requests: ["cluster", "request_kind"], etcd_request_duration_seconds_bucket: ["group", "operation", "resource", "le"] },
    });
    expect(s.etcdResourceLabels).toBe("group_resource");
    expect(s.requestKindLabel).toBe("request_kind");
    expect(s.hasClusterLabel).toBe(true);
  });
  it("reports nothing present on an empty Prometheus", () => {
    const s = schemaFromDiscovery({ names: [], labels: {} });
    expect([s.requestKindLabel, s.apfLimitMetric, s.objectCount, s.etcdResourceLabels, s.longRunningMetric]).toEqual([null, null, null, null, null]);
  });
  it("asks for labels only of metrics that exist", () => {
    expect(metricsNeedingLabels(["etcd_request_duration_seconds_bucket"])).toEqual(["etcd_request_duration_seconds_bucket"]);
    expect(metricsNeedingLabels([])).toEqual([]);
  });
});
