// How long a request takes to execute, given what else is executing.
//
// Two shared resources slow down under load:
//  - etcd: every LIST served from etcd (no resourceVersion=0) reads the whole
//    collection. Their executing weight H (1 = one LIST of all pods of the
//    reference cluster) stretches etcd latency: heavy reads by 1 + H/K_HEAVY,
//    small gets and writes by 1 + H/K_LIGHT. H is bounded by the APF seats
//    that let those LISTs execute, so the feedback loop saturates instead of
//    diverging: more concurrent LISTs -> slower LISTs -> seats stay busy
//    longer -> requests queue and are rejected.
//  - apiserver CPU: serialising large responses; per apiserver weight C
//    stretches serialisation by 1 + C/K_CPU.
// Costs per object are relative to the reference cluster (see capacityOf), so
// a cluster-wide LIST of pods costs the same at every scenario size.

import { EventHeap } from "./heap";
import type { Rng } from "./rng";
import type { Shape } from "./shapes";

const OVERHEAD_US = 400;
const ETCD_BASE_US = { get: 800, list: 1500, create: 2600, update: 2400, delete: 2200 } as const;
/** Range read of one (~10 KiB) object from etcd: 1.8 s for the reference pod list. */
const ETCD_PER_OBJECT_US = 200;
/** Decoding and encoding one object into a JSON response: 1.5 s for the reference pod list. */
const SERIALIZE_PER_OBJECT_US = 165;
const SERIALIZE_SINGLE_US = 150;
/**
 * Contention constants (at the reference size). They are chosen so that the
 * full agent fleet cannot reach an equilibrium below the workload-low seat
 * limit (arrival rate x latency growth per executing LIST > 1) and the
 * saturated latency stays under the 60 s request timeout for most LISTs.
 */
const K_HEAVY = 100;
const K_LIGHT = 200;
const K_CPU = 36;

// Webhook latencies are log-normal; the medians and spreads put the p99 of the
// sidecar injector near 20 ms and of the policy webhook near 2.3 s, inside the
// apiserver's webhook buckets (0.025 s and 2.5 s) so histogram_quantile agrees.
const SIDECAR_MEDIAN_US = 8_000;
const POLICY_MEDIAN_US = 800_000;
export const POLICY_TIMEOUT_US = 10e6;

export interface Cost {
  overheadUs: number;
  etcdUs: number;
  serializeUs: number;
  mutatingWebhookUs: number;
  validatingWebhookUs: number;
  webhookTimedOut: boolean;
  /** Execution time once dispatched (for watches: the initialisation). */
  totalUs: number;
  /** CPU time the request consumes (contention stretches wall time, not CPU time). */
  cpuUs: number;
  /** Weights this request adds while executing. */
  etcdWeight: number;
  cpuWeight: number;
}

interface Delta {
  t: number;
  seq: number;
  apiserver: number;
  etcd: number;
  cpu: number;
}

export class CostModel {
  private readonly deltas = new EventHeap<Delta>();
  private seq = 0;
  private heavy = 0;
  private readonly cpu: Float64Array;
  private readonly referenceListUs: number;
  private readonly referenceSerializeUs: number;

  constructor(
    apiservers: number,
    /** nodes / reference nodes: K constants scale with the cluster. */
    private readonly scale: number,
    /** Objects in the reference cluster's pod list. */
    referencePods: number,
  ) {
    this.cpu = new Float64Array(apiservers);
    this.referenceListUs = referencePods * ETCD_PER_OBJECT_US;
    this.referenceSerializeUs = referencePods * SERIALIZE_PER_OBJECT_US;
  }

  /** Applies the start/end of executions up to `nowUs` (calls come in time order). */
  advance(nowUs: number): void {
    while (this.deltas.peekTime() <= nowUs) {
      const d = this.deltas.pop() as Delta;
      this.heavy += d.etcd;
      this.cpu[d.apiserver] = (this.cpu[d.apiserver] as number) + d.cpu;
    }
    if (this.heavy < 1e-9) this.heavy = 0;
  }

  /** Registers an execution so later requests see its load. */
  execute(apiserver: number, fromUs: number, toUs: number, cost: Cost): void {
    if (cost.etcdWeight === 0 && cost.cpuWeight === 0) return;
    this.deltas.push({ t: fromUs, seq: this.seq++, apiserver, etcd: cost.etcdWeight, cpu: cost.cpuWeight });
    this.deltas.push({ t: toUs, seq: this.seq++, apiserver, etcd: -cost.etcdWeight, cpu: -cost.cpuWeight });
  }

  /** etcd latency multiplier for large reads right now (1 when idle). */
  etcdSlowdown(): number {
    return 1 + this.heavy / (K_HEAVY * this.scale);
  }

  /**
   * Cost of a request; `objectScale` converts this cluster's object counts to
   * reference-cluster costs. A watch is charged only for its initialisation:
   * sending the initial state when it starts without a resourceVersion.
   */
  costOf(shape: Shape, apiserver: number, objectScale: number, rng: Rng): Cost {
    const objects = shape.objects * objectScale;
    const heavySlow = this.etcdSlowdown();
    const lightSlow = 1 + this.heavy / (K_LIGHT * this.scale);
    const cpuSlow = 1 + (this.cpu[apiserver] as number) / (K_CPU * this.scale);

    let etcdBase = 0;
    let etcdWeight = 0;
    if (shape.etcd) {
      if (shape.etcd.operation === "list") {
        etcdBase = ETCD_BASE_US.list + objects * ETCD_PER_OBJECT_US;
        etcdWeight = etcdBase / this.referenceListUs;
      } else {
        etcdBase = ETCD_BASE_US[shape.etcd.operation];
      }
    }
    const etcdUs = etcdBase === 0 ? 0 : etcdBase * (etcdWeight > 0 ? heavySlow : lightSlow) * rng.lognormal(0.3);

    const isCollection = shape.verb === "list" || shape.verb === "watch";
    const serializeBase = isCollection ? objects * SERIALIZE_PER_OBJECT_US : SERIALIZE_SINGLE_US;
    const cpuWeight = isCollection ? serializeBase / this.referenceSerializeUs : 0;
    const serializeUs = serializeBase * cpuSlow * rng.lognormal(0.2);

    let mutatingWebhookUs = 0;
    let validatingWebhookUs = 0;
    let webhookTimedOut = false;
    if (shape.podWebhooks) {
      if (shape.admissionOperation === "CREATE") mutatingWebhookUs = SIDECAR_MEDIAN_US * rng.lognormal(0.4);
      // The policy webhook looks objects up through the API server, so it slows
      // down with it: when etcd is saturated its median is 3.2x and its tail heavier
      // (p99 ~9 s, a few calls past the 10 s timeout).
      const pressure = Math.min(1, (heavySlow - 1) / 7);
      validatingWebhookUs = POLICY_MEDIAN_US * (1 + 2.2 * pressure) * rng.lognormal(0.45 + 0.08 * pressure);
      if (validatingWebhookUs > POLICY_TIMEOUT_US) {
        validatingWebhookUs = POLICY_TIMEOUT_US + rng.uniform(200, 3000);
        webhookTimedOut = true;
      }
    }

    const overheadUs = OVERHEAD_US * rng.lognormal(0.3);
    // A webhook failure (failurePolicy Fail) stops the request before storage.
    const storedEtcdUs = webhookTimedOut ? 0 : etcdUs;
    const totalUs = Math.max(
      50,
      Math.round(overheadUs + storedEtcdUs + serializeUs + mutatingWebhookUs + validatingWebhookUs),
    );
    return {
      overheadUs,
      etcdUs: Math.round(storedEtcdUs),
      serializeUs: Math.round(serializeUs),
      mutatingWebhookUs: Math.round(mutatingWebhookUs),
      validatingWebhookUs: Math.round(validatingWebhookUs),
      webhookTimedOut,
      totalUs,
      cpuUs: Math.round(overheadUs + serializeBase + 0.05 * etcdBase),
      etcdWeight,
      cpuWeight,
    };
  }
}
