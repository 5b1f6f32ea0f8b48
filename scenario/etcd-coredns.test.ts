// The etcd member and CoreDNS latency families: real names and labels, steady
// before the incident, shaped by it afterwards.

import { beforeAll, describe, expect, it } from "vitest";
import { registerFamilies } from "./metric-families";
import { QUOTA_BACKEND_BYTES, addEtcdMetrics } from "./metrics-etcd";
import { MetricStore } from "./metrics-store";
import { writeOpenMetrics } from "./openmetrics";
import { SMALL_SCENARIO, generateToStrings, type GeneratedScenario } from "./testing/fixture";
import { histogramQuantile, increase, parseOpenMetrics, select, type ParsedOpenMetrics, type ParsedSeries } from "./testing/openmetrics-reader";

const ETCD_MEMBERS = ["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"];
const ETCD_FAMILIES = [
  "etcd_server_has_leader",
  "etcd_server_is_leader",
  "etcd_server_leader_changes_seen_total",
  "etcd_mvcc_db_total_size_in_bytes",
  "etcd_server_quota_backend_bytes",
];

let generated: GeneratedScenario;
let metrics: ParsedOpenMetrics;
let kIncident: number;
let kRolloutEnd: number;
let kLast: number;

beforeAll(() => {
  generated = generateToStrings(SMALL_SCENARIO, false);
  metrics = parseOpenMetrics(generated.openMetrics);
  const { window, incident } = generated.summary;
  kIncident = Math.floor((incident.startUnixSeconds - window.startUnixSeconds) / window.scrapeIntervalSeconds);
  kRolloutEnd = Math.ceil((incident.rolloutEndUnixSeconds - window.startUnixSeconds) / window.scrapeIntervalSeconds);
  kLast = window.samplesPerSeries - 1;
});

const labelNames = (s: ParsedSeries) => Object.keys(s.labels).sort();
const byInstance = (series: ParsedSeries[]) => new Map(series.map((s) => [s.labels.instance as string, s]));

describe("etcd members", () => {
  it("are three targets with job, instance and cluster, each with up = 1", () => {
    for (const name of [...ETCD_FAMILIES, "up"]) {
      const series = select(metrics, name, { job: "etcd" });
      expect(series.map((s) => s.labels.instance).sort(), name).toEqual(ETCD_MEMBERS);
      for (const s of series) expect(labelNames(s), name).toEqual(["cluster", "instance", "job"]);
    }
    for (const s of select(metrics, "up", { job: "etcd" })) expect(new Set(s.values)).toEqual(new Set([1]));
    for (const s of select(metrics, "etcd_server_quota_backend_bytes")) {
      expect(new Set(s.values)).toEqual(new Set([QUOTA_BACKEND_BYTES]));
    }
    expect(QUOTA_BACKEND_BYTES).toBe(2147483648);
  });

  it("are appended after the existing families, with their types", () => {
    const order = metrics.familyOrder;
    expect(order.slice(order.indexOf("coredns_dns_responses") + 1)).toEqual([
      "etcd_server_has_leader",
      "etcd_server_is_leader",
      "etcd_server_leader_changes_seen",
      "etcd_mvcc_db_total_size_in_bytes",
      "etcd_server_quota_backend_bytes",
      "coredns_dns_request_duration_seconds",
      "coredns_panics",
    ]);
    expect(order.slice(-7).map((name) => metrics.types.get(name))).toEqual([
      "gauge",
      "gauge",
      "counter",
      "gauge",
      "gauge",
      "histogram",
      "counter",
    ]);
  });

  it("are steady before the incident: one leader, no leader changes, a flat DB size", () => {
    const isLeader = select(metrics, "etcd_server_is_leader");
    const leaderAt = (k: number) => isLeader.filter((s) => s.values[k] === 1).map((s) => s.labels.instance);
    const first = leaderAt(0);
    expect(first).toHaveLength(1);
    for (let k = 0; k <= kIncident; k++) expect(leaderAt(k)).toEqual(first);
    for (const name of ["etcd_server_leader_changes_seen_total", "etcd_mvcc_db_total_size_in_bytes", "etcd_server_has_leader"]) {
      for (const s of select(metrics, name)) expect(new Set(s.values.slice(0, kIncident + 1)).size, name).toBe(1);
    }
    for (const s of select(metrics, "etcd_server_has_leader")) expect(s.values[0]).toBe(1);
  });

  it("grows the DB during the incident, page by page, and keeps it under 80% of the quota", () => {
    for (const s of select(metrics, "etcd_mvcc_db_total_size_in_bytes")) {
      const start = s.values[kIncident] as number;
      const end = s.values[kLast] as number;
      expect(start).toBeGreaterThan(550e6);
      expect(start).toBeLessThan(700e6);
      expect(end).toBeGreaterThan(1.3 * start);
      expect(Math.max(...s.values) / QUOTA_BACKEND_BYTES).toBeLessThan(0.8);
      s.values.forEach((v, k) => {
        expect(v % 4096).toBe(0);
        if (k > 0) expect(v).toBeGreaterThanOrEqual(s.values[k - 1] as number);
      });
    }
  });

  it("sees two to four leader changes after the incident starts, with one leader at every scrape", () => {
    const changes = select(metrics, "etcd_server_leader_changes_seen_total");
    for (const s of changes) {
      expect(s.values[0]).toBeGreaterThan(0);
      expect(increase(s, 0, kIncident)).toBe(0);
      expect(increase(s, kIncident, kLast)).toBeGreaterThanOrEqual(2);
      expect(increase(s, kIncident, kLast)).toBeLessThanOrEqual(4);
      s.values.forEach((v, k) => k > 0 && expect(v).toBeGreaterThanOrEqual(s.values[k - 1] as number));
    }
    const isLeader = byInstance(select(metrics, "etcd_server_is_leader"));
    const hasLeader = byInstance(select(metrics, "etcd_server_has_leader"));
    let leaderless = 0;
    for (let k = 0; k <= kLast; k++) {
      expect(ETCD_MEMBERS.filter((m) => isLeader.get(m)?.values[k] === 1)).toHaveLength(1);
      for (const m of ETCD_MEMBERS) {
        const has = hasLeader.get(m)?.values[k];
        expect([0, 1]).toContain(has);
        if (has === 0) {
          leaderless++;
          expect(k).toBeGreaterThan(kIncident);
          expect(isLeader.get(m)?.values[k]).toBe(0);
        }
      }
    }
    expect(leaderless).toBeLessThanOrEqual(2);
    // Leadership moves with every election.
    const moves = [...isLeader.values()].reduce((n, s) => n + s.values.filter((v, k) => k > 0 && v === 1 && s.values[k - 1] === 0).length, 0);
    expect(moves).toBe(increase(changes[0] as ParsedSeries, 0, kLast));
  });

  it("stays under 80% of the quota through a day-long storm, with two to four elections", () => {
    const samples = 2881;
    const store = new MetricStore(samples, 30e6);
    const families = registerFamilies(store);
    const load = new Float64Array(samples).fill(1, 120);
    addEtcdMetrics(store, families, load, 11);
    let text = "";
    writeOpenMetrics(store, 1_700_000_000, 30, (chunk) => (text += chunk));
    const day = parseOpenMetrics(text);
    expect(day.problems).toEqual([]);
    for (const s of select(day, "etcd_mvcc_db_total_size_in_bytes")) {
      expect(s.values[119]).toBe(s.values[0]);
      expect(Math.max(...s.values) / QUOTA_BACKEND_BYTES).toBeLessThan(0.8);
      expect(Math.max(...s.values) / QUOTA_BACKEND_BYTES).toBeGreaterThan(0.6);
    }
    for (const s of select(day, "etcd_server_leader_changes_seen_total")) {
      expect(increase(s, 0, 120)).toBe(0);
      expect(increase(s, 120, samples - 1)).toBeGreaterThanOrEqual(2);
      expect(increase(s, 120, samples - 1)).toBeLessThanOrEqual(4);
    }
  });
});

describe("CoreDNS request latency and panics", () => {
  it("labels the histogram with server, zone and type and counts every request it counted", () => {
    const buckets = select(metrics, "coredns_dns_request_duration_seconds_bucket");
    expect(buckets.length).toBe(2 * 2 * 17);
    for (const s of buckets) expect(labelNames(s)).toEqual(["cluster", "instance", "job", "le", "server", "type", "zone"]);
    const counts = select(metrics, "coredns_dns_request_duration_seconds_count");
    expect(counts.map((s) => `${s.labels.instance} ${s.labels.type}`).sort()).toEqual([
      "10.244.0.3:9153 A",
      "10.244.0.3:9153 AAAA",
      "10.244.1.4:9153 A",
      "10.244.1.4:9153 AAAA",
    ]);
    for (const count of counts) {
      const [requests] = select(metrics, "coredns_dns_requests_total", {
        instance: count.labels.instance as string,
        type: count.labels.type as string,
      });
      expect(count.values[0]).toBeGreaterThan(0);
      for (let k = 1; k <= kLast; k++) expect(increase(count, k - 1, k)).toBe(increase(requests as ParsedSeries, k - 1, k));
    }
  });

  it("raises the p99 several-fold once the control plane is overloaded", () => {
    const p99 = (from: number, to: number) => histogramQuantile(metrics, "coredns_dns_request_duration_seconds", 0.99, from, to);
    const baseline = p99(0, kIncident);
    const incident = p99(kRolloutEnd, kLast);
    expect(baseline).toBeGreaterThan(0.004);
    expect(baseline).toBeLessThan(0.05);
    expect(incident).toBeGreaterThan(4 * baseline);
  });

  it("counts no panics until late in the incident, and at most one per instance", () => {
    const panics = select(metrics, "coredns_panics_total");
    expect(panics.map((s) => s.labels.instance).sort()).toEqual(["10.244.0.3:9153", "10.244.1.4:9153"]);
    let total = 0;
    for (const s of panics) {
      expect(labelNames(s)).toEqual(["cluster", "instance", "job"]);
      expect(s.values[0]).toBe(0);
      expect(increase(s, 0, kRolloutEnd)).toBe(0);
      expect(increase(s, 0, kLast)).toBeLessThanOrEqual(1);
      total += increase(s, 0, kLast);
    }
    expect(total).toBeGreaterThanOrEqual(1);
  });
});
