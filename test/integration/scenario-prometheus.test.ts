// The incident scenario in a real Prometheus: promtool backfills every sample, and what Prometheus reports
// agrees with the scenario's own audit log (tolerance: exact, since both come from one simulation).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricKeyOf, type AuditEvent } from "@/scenario/testing/fixture";
import { scenarioAppEnv, type ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { startSmallScenario } from "@/test/support/scenario";

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("scenario", { audit: true }));
});

afterAll(() => stop?.());

async function instant(query: string, time: number): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const url = `${run.prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${time}`;
  const body = (await (await fetch(url)).json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  expect(body.status, JSON.stringify(body)).toBe("success");
  return body.data.result;
}

describe("incident scenario in Prometheus", () => {
  it("holds every generated series and sample", async () => {
    const { endUnixSeconds, startUnixSeconds } = run.files.summary.window;
    const [series] = await instant(`count({__name__=~".+"} @ ${endUnixSeconds})`, endUnixSeconds);
    expect(Number(series!.value[1])).toBe(run.files.summary.metrics.series);
    const names = ((await (await fetch(`${run.prometheus.url}/api/v1/label/__name__/values`)).json()) as { data: string[] }).data;
    let samples = 0;
    for (const name of names) {
      const [r] = await instant(`sum(count_over_time(${name}[${endUnixSeconds - startUnixSeconds + 1}s]))`, endUnixSeconds);
      samples += Number(r!.value[1]);
    }
    expect(samples).toBe(run.files.summary.metrics.series * run.files.summary.window.samplesPerSeries);
  });

  it("counts in apiserver_request_total match the audit log per verb, resource and code", async () => {
    const { startUnixSeconds: start, endUnixSeconds: end } = run.files.summary.window;
    const by = "verb, group, resource, subresource, scope, code";
    const at = (t: number) => `sum by (${by}) (apiserver_request_total @ ${t})`;
    const result = await instant(`${at(end)} - ${at(start)} > 0`, end);
    const fromPrometheus: Record<string, number> = {};
    for (const { metric: l, value } of result) {
      // Audit logs cannot tell server-side apply from other patches: count APPLY as PATCH.
      const verb = l.verb === "APPLY" ? "PATCH" : l.verb;
      const key = [verb, l.group ?? "", l.resource, l.subresource ?? "", l.scope, l.code].join("|");
      fromPrometheus[key] = (fromPrometheus[key] ?? 0) + Number(value[1]);
    }
    const fromAudit: Record<string, number> = {};
    for (const line of readFileSync(run.files.auditPath!, "utf8").split("\n")) {
      if (!line) continue;
      const e = JSON.parse(line) as AuditEvent;
      if (e.stage !== "ResponseComplete") continue;
      const key = metricKeyOf(e);
      fromAudit[key] = (fromAudit[key] ?? 0) + 1;
    }
    expect(Object.keys(fromAudit).length).toBeGreaterThan(20);
    expect(fromPrometheus).toEqual(fromAudit);
  });

  it("tells the story: no 429 before the rollout, many after; latency climbs", async () => {
    const s = run.files.summary;
    const rate429 = `sum(rate(apiserver_request_total{code="429"}[2m]))`;
    const before = await instant(rate429, s.incident.startUnixSeconds - 60);
    expect(Number(before[0]?.value[1] ?? 0)).toBe(0);
    const after = await instant(rate429, s.window.endUnixSeconds);
    expect(Number(after[0]!.value[1])).toBeGreaterThan(1);
    const p99 = `histogram_quantile(0.99, sum by (le) (rate(apiserver_request_duration_seconds_bucket{verb="LIST"}[2m])))`;
    const p99Before = Number((await instant(p99, s.incident.startUnixSeconds - 60))[0]!.value[1]);
    const p99After = Number((await instant(p99, s.window.endUnixSeconds))[0]!.value[1]);
    expect(p99After).toBeGreaterThan(5 * p99Before);
    expect(scenarioAppEnv(run.prometheus.url).APISCOPE_APISERVER_SELECTOR).toBe('job="apiserver"');
  });

  it("has the etcd members and CoreDNS latency and panics with their labels", async () => {
    const end = run.files.summary.window.endUnixSeconds;
    const members = ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"];
    for (const name of [
      "etcd_server_has_leader",
      "etcd_server_is_leader",
      "etcd_server_leader_changes_seen_total",
      "etcd_mvcc_db_total_size_in_bytes",
      "etcd_server_quota_backend_bytes",
    ]) {
      const result = await instant(name, end);
      expect(result.map((r) => r.metric.instance).sort(), name).toEqual(members);
      for (const { metric } of result) expect(metric, name).toEqual({ __name__: name, cluster: "prod-eu-1", instance: metric.instance, job: "etcd" });
    }
    const up = await instant('up{job="etcd"}', end);
    expect(up.map((r) => [r.metric.instance, r.value[1]]).sort()).toEqual(members.map((m) => [m, "1"]));
    expect(Number((await instant("sum(etcd_server_quota_backend_bytes) / 3", end))[0]!.value[1])).toBe(2147483648);
    const histograms = await instant("count by (cluster, instance, job, server, zone, type) (coredns_dns_request_duration_seconds_bucket)", end);
    expect(histograms.map((r) => `${r.metric.instance} ${r.metric.job} ${r.metric.server} ${r.metric.zone} ${r.metric.type} ${r.value[1]}`).sort()).toEqual([
      "10.244.0.3:9153 coredns dns://:53 . A 17",
      "10.244.0.3:9153 coredns dns://:53 . AAAA 17",
      "10.244.1.4:9153 coredns dns://:53 . A 17",
      "10.244.1.4:9153 coredns dns://:53 . AAAA 17",
    ]);
    const panics = await instant("coredns_panics_total", end);
    expect(panics.map((r) => Object.keys(r.metric).sort().join(","))).toEqual(["__name__,cluster,instance,job", "__name__,cluster,instance,job"]);
  });

  it("tells the etcd story: the DB grows under the quota's 80%, leaders change only after the incident starts", async () => {
    const { window, incident } = run.files.summary;
    const ratio = "max(etcd_mvcc_db_total_size_in_bytes) / max(etcd_server_quota_backend_bytes)";
    const before = Number((await instant(ratio, incident.startUnixSeconds))[0]!.value[1]);
    const after = Number((await instant(ratio, window.endUnixSeconds))[0]!.value[1]);
    expect(before).toBeGreaterThan(0.2);
    expect(after).toBeGreaterThan(1.3 * before);
    const windowS = window.endUnixSeconds - window.startUnixSeconds;
    const peak = await instant(`max_over_time((${ratio})[${windowS}s:${window.scrapeIntervalSeconds}s])`, window.endUnixSeconds);
    expect(Number(peak[0]!.value[1])).toBeLessThan(0.8);

    const changes = (rangeS: number) => `sum(increase(etcd_server_leader_changes_seen_total[${rangeS}s]))`;
    const beforeS = incident.startUnixSeconds - window.startUnixSeconds;
    expect(Number((await instant(changes(beforeS), incident.startUnixSeconds))[0]!.value[1])).toBe(0);
    expect(Number((await instant(changes(window.endUnixSeconds - incident.startUnixSeconds), window.endUnixSeconds))[0]!.value[1])).toBeGreaterThan(0);
    // One leader at every scrape, before and after the elections.
    const leaders = `sum(etcd_server_is_leader)[${windowS}s:${window.scrapeIntervalSeconds}s]`;
    expect((await instant(`min_over_time(${leaders})`, window.endUnixSeconds))[0]!.value[1]).toBe("1");
    expect((await instant(`max_over_time(${leaders})`, window.endUnixSeconds))[0]!.value[1]).toBe("1");
  });

  it("tells the CoreDNS story: p99 and SERVFAIL share climb, the histogram counts every request, panics only late", async () => {
    const { window, incident } = run.files.summary;
    const before = incident.startUnixSeconds - 60;
    const end = window.endUnixSeconds;
    const p99 = "histogram_quantile(0.99, sum by (le) (rate(coredns_dns_request_duration_seconds_bucket[5m])))";
    const p99Before = Number((await instant(p99, before))[0]!.value[1]);
    const p99After = Number((await instant(p99, end))[0]!.value[1]);
    expect(p99Before).toBeLessThan(0.05);
    expect(p99After).toBeGreaterThan(5 * p99Before);
    const servfail = 'sum(rate(coredns_dns_responses_total{rcode="SERVFAIL"}[5m])) / sum(rate(coredns_dns_responses_total[5m]))';
    expect(Number((await instant(servfail, end))[0]!.value[1])).toBeGreaterThan(Number((await instant(servfail, before))[0]!.value[1]));
    const grew = (name: string) => `sum by (instance, type) (${name} @ ${end}) - sum by (instance, type) (${name} @ ${window.startUnixSeconds})`;
    const counted = await instant(grew("coredns_dns_request_duration_seconds_count"), end);
    const requested = await instant(grew("coredns_dns_requests_total"), end);
    const byKey = (r: typeof counted) => Object.fromEntries(r.map((x) => [`${x.metric.instance} ${x.metric.type}`, Number(x.value[1])]));
    expect(Object.keys(byKey(counted))).toHaveLength(4);
    expect(byKey(counted)).toEqual(byKey(requested));
    const panics = "sum(coredns_panics_total)";
    expect(Number((await instant(panics, incident.rolloutEndUnixSeconds))[0]!.value[1])).toBe(0);
    expect(Number((await instant(panics, end))[0]!.value[1])).toBeLessThanOrEqual(2);
  });
});
