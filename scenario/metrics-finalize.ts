// Values that do not come from individual requests: constant gauges, process
// baselines, CoreDNS counters, and the starting values of counters.

import {
  CLUSTER_NAME,
  KUBE_GIT_COMMIT,
  KUBE_VERSION,
  PRIORITY_LEVELS,
  apiserverInstance,
  type Capacity,
  type ObjectCounts,
} from "./cluster";
import type { Families } from "./metric-families";
import type { MetricStore, Series } from "./metrics-store";
import { Rng, mix32 } from "./rng";
import { hashString } from "./actors";
import { addDnsLatency, addDnsPanics, type DnsInstanceSeries } from "./metrics-coredns";
import { addEtcdMetrics, heavyReadLoad } from "./metrics-etcd";

/** Apiservers have been up a few days when the window starts; counters carry that history. */
const UPTIME_SECONDS = 3.5 * 86400;

export interface FinalizeInput {
  store: MetricStore;
  families: Families;
  apiservers: number;
  capacity: Capacity;
  counts: ObjectCounts;
  memorySeries: Series[];
  cpuSeries: Series[];
  dnsInstances: string[];
  /** Per CoreDNS instance, microseconds of watch downtime per sample interval (summed over its watches). */
  dnsDownUs: Float64Array[];
  nodes: number;
  seed: number;
  baselineSamples: number;
  /** First sample of the incident phase the summary reports (after the rollout, see buildSummary). */
  incidentFromSample: number;
}

export function finalizeMetrics(input: FinalizeInput): void {
  const { store, families: f } = input;
  const constant = (series: Series, value: number) => {
    series.offset = value;
  };
  for (let i = 0; i < input.apiservers; i++) {
    const common = [CLUSTER_NAME, apiserverInstance(i), "apiserver"];
    constant(store.series(f.up, common), 1);
    constant(
      store.series(f.buildInfo, [
        "2024-12-10T11:36:12Z",
        "gc",
        KUBE_GIT_COMMIT,
        "clean",
        KUBE_VERSION,
        "go1.22.10",
        "1",
        "31",
        "linux/amd64",
        ...common,
      ]),
      1,
    );
    for (const level of PRIORITY_LEVELS) {
      constant(store.series(f.nominalSeats, [level.name, ...common]), input.capacity.nominalSeats[level.name] ?? 0);
    }
    const counts = storageCounts(input.counts);
    for (const [resource, count] of Object.entries(counts)) {
      constant(store.series(f.storageObjects, [resource, ...common]), count);
    }
    // Resident memory: heap and watch cache (sized like the reference cluster, see capacityOf),
    // plus the responses being built, which the recorder adds per scrape.
    const baseBytes = 3.0e9 + (mix32(input.seed + i) % 200) * 1e6;
    constant(input.memorySeries[i] as Series, Math.round(baseBytes));
    // Idle CPU: watch fan-out, controllers' informers, health checks.
    const cpu = input.cpuSeries[i] as Series;
    for (let k = 1; k < store.samples; k++) cpu.values[k] = (cpu.values[k] as number) + 0.35 * store.stepUs;
  }
  const dns = addDnsCounters(input);
  const load = heavyReadLoad(store, f.etcdDuration, input.capacity.scale);
  // The latency histogram gets the same days of history as the request counters it mirrors.
  addDnsLatency(store, f, dns, load, input.seed);
  applyStartingValues(store, input.baselineSamples, Math.round(UPTIME_SECONDS / (store.stepUs / 1e6)), input.seed);
  // After the starting values: these counters start from the processes' own history (leader changes since the
  // member started, no panics), not from a baseline rate.
  addEtcdMetrics(store, f, load, input.seed);
  addDnsPanics(store, f, dns, input.incidentFromSample);
}

function storageCounts(c: ObjectCounts): Record<string, number> {
  return {
    pods: c.pods,
    nodes: c.nodes,
    services: c.services,
    endpoints: c.services,
    "endpointslices.discovery.k8s.io": c.endpointSlices,
    namespaces: c.namespaces,
    configmaps: c.configMaps,
    secrets: c.secrets,
    "leases.coordination.k8s.io": c.leases,
    events: c.events,
    "replicasets.apps": c.replicaSets,
    "deployments.apps": c.deployments,
    "jobs.batch": c.jobs,
    "certificates.cert-manager.io": c.certificates,
    "servicemonitors.monitoring.coreos.com": c.serviceMonitors,
  };
}

/**
 * CoreDNS answers from its informer caches; while a watch is broken and being
 * re-listed the kubernetes plugin answers SERVFAIL for part of the queries.
 */
function addDnsCounters(input: FinalizeInput): DnsInstanceSeries[] {
  const { store, families: f } = input;
  const rng = new Rng(input.seed, 3);
  const stepS = store.stepUs / 1e6;
  return input.dnsInstances.map((instance, i) => {
    const common = [CLUSTER_NAME, instance, "coredns"];
    store.series(f.up, common).offset = 1;
    const server = ["dns://:53", "."];
    const a = store.series(f.dnsRequests, [...server, "udp", "1", "A", ...common]);
    const aaaa = store.series(f.dnsRequests, [...server, "udp", "1", "AAAA", ...common]);
    const noerror = store.series(f.dnsResponses, [...server, "NOERROR", ...common]);
    const nxdomain = store.series(f.dnsResponses, [...server, "NXDOMAIN", ...common]);
    const servfail = store.series(f.dnsResponses, [...server, "SERVFAIL", ...common]);
    const down = input.dnsDownUs[i] ?? new Float64Array(store.samples);
    const qps = 1.5 * input.nodes;
    for (let k = 1; k < store.samples; k++) {
      const total = Math.round(qps * stepS * rng.uniform(0.9, 1.1));
      const aCount = Math.round(total * 0.7);
      const downFraction = Math.min(1, (down[k] as number) / (3 * store.stepUs));
      const failed = Math.round(total * (0.0001 + 0.2 * downFraction));
      const nx = Math.round((total - failed) * 0.22);
      a.values[k] = aCount;
      aaaa.values[k] = total - aCount;
      servfail.values[k] = failed;
      nxdomain.values[k] = nx;
      noerror.values[k] = total - failed - nx;
    }
    return { common, server, byType: [{ type: "A", requests: a }, { type: "AAAA", requests: aaaa }], servfail };
  });
}

/**
 * Counters start where a few days of baseline traffic would have left them
 * (mean per-scrape increase before the incident x uptime); series that never
 * moved before the incident start at a small value from earlier blips.
 * Histogram buckets get per-bucket offsets so they stay cumulative.
 */
function applyStartingValues(store: MetricStore, baselineSamples: number, uptimeSamples: number, seed: number): void {
  const kb = Math.max(1, Math.min(baselineSamples, store.samples - 1));
  for (const family of store.families) {
    if (!family.cumulative || family.name === "apiserver_storage_objects") continue;
    for (const series of family.series.values()) {
      if (family.type === "histogram") {
        const width = family.boundsUs.length + 1;
        const buckets = series.buckets as Float64Array;
        const offsets = series.bucketOffsets as Float64Array;
        let sum = 0;
        for (let k = 1; k <= kb; k++) sum += (series.sum as Float64Array)[k] as number;
        for (let b = 0; b < width; b++) {
          let n = 0;
          for (let k = 1; k <= kb; k++) n += buckets[k * width + b] as number;
          offsets[b] = Math.round((n / kb) * uptimeSamples);
        }
        series.offset = offsets.reduce((acc, v) => acc + v, 0);
        series.sumOffset = Math.round((sum / kb) * uptimeSamples);
        continue;
      }
      let n = 0;
      for (let k = 1; k <= kb; k++) n += series.values[k] as number;
      const offset = Math.round((n / kb) * uptimeSamples);
      series.offset = offset > 0 ? offset : 1 + (mix32(seed ^ hashString(family.name + series.labels)) % 40);
    }
  }
}
