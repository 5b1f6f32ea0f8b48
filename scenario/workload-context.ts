// What the workload builders share: the build context and the helpers every
// group of clients (control plane, nodes, apps) uses to add its tasks.

import type { Capacity, ObjectCounts } from "./cluster";
import { APP_NAMESPACES } from "./cluster";
import type { Timeline } from "./params";
import { nameSuffix, type Rng } from "./rng";
import type { Schedule, Target, Task } from "./task";
import type { ScenarioParams } from "./types";

export interface WorkloadContext {
  params: ScenarioParams;
  timeline: Timeline;
  capacity: Capacity;
  counts: ObjectCounts;
  /** Randomness used while building (phases, pinned apiservers, names). */
  rng: Rng;
  tasks: Task[];
}

export function addTask(ctx: WorkloadContext, spec: Omit<Task, "id">): Task {
  const task: Task = { ...spec, id: ctx.tasks.length };
  ctx.tasks.push(task);
  return task;
}

/** Period of background work that grows with the cluster (controllers, operators, CI). */
export function scaledPeriodS(ctx: WorkloadContext, periodAtReferenceS: number): number {
  return periodAtReferenceS / ctx.capacity.scale;
}

/** Periodic schedule with a random phase so clients are not in lockstep. */
export function periodic(
  ctx: WorkloadContext,
  periodS: number,
  options: { firstUs?: number; jitter?: number } = {},
): Schedule {
  const periodUs = periodS * 1e6;
  return {
    kind: "periodic",
    firstUs: options.firstUs ?? Math.floor(ctx.rng.uniform(0, periodUs)),
    periodUs,
    jitter: options.jitter ?? 0.1,
  };
}

/** client-go reflector watches: timeoutSeconds uniform in [5 min, 10 min), already open when the window starts. */
export function reflectorWatch(): Schedule {
  return { kind: "watch", firstUs: 0, minTimeoutS: 300, maxTimeoutS: 599, preexisting: true };
}

export function pickAppNamespace(rng: Rng): string {
  return rng.pick(APP_NAMESPACES);
}

const WORKLOADS = ["api", "worker", "frontend", "consumer", "scheduler", "cache"] as const;

/** Deployment name in a namespace, e.g. "checkout-worker". */
export function deploymentName(rng: Rng, namespace: string): string {
  return `${namespace}-${rng.pick(WORKLOADS)}`;
}

/** A pod of a ReplicaSet: <deployment>-<pod-template-hash>-<suffix>. */
export function replicaSetPodTarget(rng: Rng): Target {
  const namespace = pickAppNamespace(rng);
  return { namespace, name: `${deploymentName(rng, namespace)}-${nameSuffix(rng, 10)}-${nameSuffix(rng)}` };
}

export function randomObjectTarget(names: readonly string[]): (rng: Rng) => Target {
  return (rng) => ({ namespace: pickAppNamespace(rng), name: rng.pick(names) });
}
