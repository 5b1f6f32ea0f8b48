// etcd members as their own /metrics endpoints report them. No single request
// drives these: they follow how hard the simulated LISTs press on etcd, read
// back from the apiservers' etcd_request_duration_seconds.

import { CLUSTER_NAME, ETCD_MEMBERS, etcdInstance } from "./cluster";
import type { Families } from "./metric-families";
import type { Family, MetricStore, Series } from "./metrics-store";
import { Rng } from "./rng";

/** --quota-backend-bytes default (2 GiB). */
export const QUOTA_BACKEND_BYTES = 2 * 1024 ** 3;
/**
 * Range reads from etcd in flight (reference-cluster units) once workload-low
 * is saturated; the simulation settles at about 370-430.
 */
const SATURATED_READS = 350;
/** Below this load reads are too few and short to keep freed pages from being reused. */
const PINNING_LOAD = 0.05;
/** Load at which members miss heartbeats and elections can happen. */
const ELECTION_LOAD = 0.9;
const DB_BASE_BYTES = 620e6;
/** About 71% of the quota: growth is visible, a "> 80% of quota" alert stays quiet however long the storm lasts. */
const DB_CEILING_BYTES = 1.53e9;
const DB_GROWTH_TAU_S = 20 * 60;
/** bbolt reports its size as allocated pages. */
const PAGE_BYTES = 4096;

/**
 * Per scrape, how close etcd is to saturation (0 idle, 1 saturated): the time
 * LISTs served from etcd spent there, per second, scaled to the reference cluster.
 */
export function heavyReadLoad(store: MetricStore, etcdDuration: Family, scale: number): Float64Array {
  const load = new Float64Array(store.samples);
  for (const series of etcdDuration.series.values()) {
    if (!series.labels.includes('operation="list"') || !series.sum) continue;
    for (let k = 1; k < store.samples; k++) load[k] = (load[k] as number) + (series.sum[k] as number);
  }
  const norm = store.stepUs * scale * SATURATED_READS;
  for (let k = 0; k < load.length; k++) load[k] = Math.min(1, (load[k] as number) / norm);
  return load;
}

/**
 * Long range reads hold bbolt read transactions open, so pages freed by writes
 * meanwhile cannot be reused and the file grows (it never shrinks without a
 * defrag); the same overload delays heartbeats until followers call elections.
 * Before the storm the members are steady: same leader, flat DB size.
 */
export function addEtcdMetrics(store: MetricStore, f: Families, load: Float64Array, seed: number): void {
  const rng = new Rng(seed, 4);
  const stepS = store.stepUs / 1e6;
  const members = Array.from({ length: ETCD_MEMBERS }, (_, m) => {
    const common = [CLUSTER_NAME, etcdInstance(m), "etcd"];
    store.series(f.up, common).offset = 1;
    store.series(f.etcdQuota, common).offset = QUOTA_BACKEND_BYTES;
    const hasLeader = store.series(f.etcdHasLeader, common);
    hasLeader.offset = 1;
    const changes = store.series(f.etcdLeaderChanges, common);
    // The counter restarts with the member: its first election plus a restart or two.
    changes.offset = rng.int(1, 3);
    return {
      hasLeader,
      changes,
      isLeader: store.series(f.etcdIsLeader, common),
      dbSize: store.series(f.etcdDbSize, common),
      base: DB_BASE_BYTES + rng.uniform(-15e6, 15e6),
      ceiling: DB_CEILING_BYTES + rng.uniform(-20e6, 20e6),
    };
  });

  for (const m of members) {
    let size = m.base;
    m.dbSize.values[0] = pages(size);
    for (let k = 1; k < store.samples; k++) {
      const pinning = Math.max(0, (load[k] as number) - PINNING_LOAD) / (1 - PINNING_LOAD);
      const toward = 1 - Math.exp((-pinning * stepS) / DB_GROWTH_TAU_S);
      size += (m.ceiling - size) * toward * rng.uniform(0.9, 1.1);
      m.dbSize.values[k] = pages(size);
    }
  }

  const elections = electionSamples(load, rng);
  let leader = rng.int(0, ETCD_MEMBERS - 1);
  let next = 0;
  for (let k = 0; k < store.samples; k++) {
    if (elections[next] === k) {
      const old = leader;
      leader = (old + rng.int(1, ETCD_MEMBERS - 1)) % ETCD_MEMBERS;
      // The first time, the scrape catches the deposed leader before it hears of the new one.
      const gap = next === 0 && k + 1 < store.samples ? old : -1;
      members.forEach((m, i) => {
        if (i === gap) {
          m.hasLeader.values[k] = -1;
          bump(m.changes, k + 1);
        } else {
          bump(m.changes, k);
        }
      });
      next++;
    }
    members[leader]!.isLeader.values[k] = 1;
  }
}

/**
 * Two to four elections, one in each equal share of the saturated scrapes and
 * at least two scrapes apart (fewer when the window holds too little saturation).
 */
function electionSamples(load: Float64Array, rng: Rng): number[] {
  const saturated: number[] = [];
  for (let k = 1; k < load.length; k++) if ((load[k] as number) >= ELECTION_LOAD) saturated.push(k);
  const n = Math.min(rng.int(2, 4), Math.floor(saturated.length / 4));
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    const hi = Math.floor(((j + 1) * saturated.length) / n) - 1;
    let lo = Math.floor((j * saturated.length) / n);
    const previous = out[out.length - 1];
    while (previous !== undefined && lo < hi && (saturated[lo] as number) < previous + 2) lo++;
    const k = saturated[rng.int(lo, hi)] as number;
    if (previous === undefined || k >= previous + 2) out.push(k);
  }
  return out;
}

function bump(series: Series, k: number): void {
  series.values[k] = (series.values[k] as number) + 1;
}

function pages(bytes: number): number {
  return Math.floor(bytes / PAGE_BYTES) * PAGE_BYTES;
}
