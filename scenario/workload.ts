// Builds every task of the scenario from the parameters.

import type { Capacity, ObjectCounts } from "./cluster";
import { REFERENCE_NODES, capacityOf, objectCounts } from "./cluster";
import type { Timeline } from "./params";
import { Rng } from "./rng";
import type { Task } from "./task";
import type { ScenarioParams } from "./types";
import { addAppTasks } from "./workload-apps";
import type { WorkloadContext } from "./workload-context";
import { addControlPlaneTasks } from "./workload-control-plane";
import { addNodeTasks, type CulpritInfo } from "./workload-nodes";

export interface Workload {
  tasks: Task[];
  capacity: Capacity;
  counts: ObjectCounts;
  /** Converts this cluster's object counts to reference-cluster costs. */
  objectScale: number;
  culprit: CulpritInfo;
  /** CoreDNS metrics endpoints (instance labels). */
  dnsInstances: string[];
}

export function buildWorkload(params: ScenarioParams, timeline: Timeline): Workload {
  const ctx: WorkloadContext = {
    params,
    timeline,
    capacity: capacityOf(params.nodes),
    counts: objectCounts(params.nodes),
    rng: new Rng(params.seed, 1),
    tasks: [],
  };
  const controlPlane = addControlPlaneTasks(ctx);
  const culprit = addNodeTasks(ctx, controlPlane);
  addAppTasks(ctx);
  return {
    tasks: ctx.tasks,
    capacity: ctx.capacity,
    counts: ctx.counts,
    objectScale: REFERENCE_NODES / params.nodes,
    culprit,
    dnsInstances: controlPlane.dnsInstances,
  };
}
