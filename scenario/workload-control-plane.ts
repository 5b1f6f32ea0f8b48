// Control-plane clients: kube-controller-manager and kube-scheduler (CoreDNS in its own module).

import { makeActor, rbacReason, serviceAccountActor, type Actor } from "./actors";
import { KUBE_UA_SUFFIX, nodeName } from "./cluster";
import { mix32, nameSuffix, type Rng } from "./rng";
import { defineShape, type ShapeSpec } from "./shapes";
import type { Target, Task } from "./task";
import { reflectorWatchQuery } from "./task";
import { addCoreDnsTasks } from "./workload-coredns";
import {
  addTask,
  deploymentName,
  periodic,
  pickAppNamespace,
  reflectorWatch,
  replicaSetPodTarget,
  scaledPeriodS,
  type WorkloadContext,
} from "./workload-context";

const KCM_UA = `kube-controller-manager/v1.31.4 ${KUBE_UA_SUFFIX}`;
const SCHEDULER_UA = `kube-scheduler/v1.31.4 ${KUBE_UA_SUFFIX}/scheduler`;
const JOB_NAMESPACES = ["ml-batch", "data-pipeline"];

const replicaSetTarget = (rng: Rng): Target => {
  const namespace = pickAppNamespace(rng);
  return { namespace, name: `${deploymentName(rng, namespace)}-${nameSuffix(rng, 10)}` };
};
const deploymentTarget = (rng: Rng): Target => {
  const namespace = pickAppNamespace(rng);
  return { namespace, name: deploymentName(rng, namespace) };
};
const sliceTarget = (rng: Rng): Target => {
  const namespace = pickAppNamespace(rng);
  return { namespace, name: `${deploymentName(rng, namespace)}-${nameSuffix(rng)}` };
};
const jobTarget = (rng: Rng): Target => ({
  namespace: rng.pick(JOB_NAMESPACES),
  name: `nightly-etl-${rng.int(28900000, 28999999)}`,
});
const jobPodTarget = (rng: Rng): Target => {
  const job = jobTarget(rng);
  return { namespace: job.namespace, name: `${job.name}-${nameSuffix(rng)}` };
};

export interface ControlPlane {
  dnsInstances: string[];
  /** The scheduler's pods/binding task, triggered by pod creates. */
  binding: Task;
  /** A kube-controller-manager controller's identity. */
  controller: (name: string, retries?: number) => Actor;
}

export function addControlPlaneTasks(ctx: WorkloadContext): ControlPlane {
  const { params, rng } = ctx;
  const hostIndex = (i: number) => Math.min(i, params.apiservers - 1);
  // The active controller-manager and scheduler talk to the apiserver on their own host.
  const kcmHost = hostIndex(1);
  const schedulerHost = hostIndex(2);
  const s = (spec: ShapeSpec) => defineShape(spec);

  const controller = (name: string, retries = 0): Actor =>
    serviceAccountActor({
      client: "kube-controller-manager",
      namespace: "kube-system",
      name,
      userAgent: `${KCM_UA}/${name}`,
      sourceIp: `10.0.0.${kcmHost + 1}`,
      apiserver: kcmHost,
      binding: `system:controller:${name}`,
      role: `system:controller:${name}`,
      retries,
      seed: params.seed,
    });
  const flow = "kube-system-service-accounts";
  const every = (referencePeriodS: number) => periodic(ctx, scaledPeriodS(ctx, referencePeriodS), { jitter: 0.5 });

  const kcmUser = makeActor({
    client: "kube-controller-manager",
    username: "system:kube-controller-manager",
    groups: ["system:authenticated"],
    userAgent: `${KCM_UA}/leader-election`,
    sourceIp: `10.0.0.${kcmHost + 1}`,
    authzReason: rbacReason("system:kube-controller-manager", "system:kube-controller-manager", 'User "system:kube-controller-manager"'),
    apiserver: kcmHost,
  });
  const informers: Actor = { ...kcmUser, userAgent: `${KCM_UA}/shared-informers`, json: { ...kcmUser.json, userAgent: JSON.stringify(`${KCM_UA}/shared-informers`) } };
  const scheduler = makeActor({
    client: "kube-scheduler",
    username: "system:kube-scheduler",
    groups: ["system:authenticated"],
    userAgent: SCHEDULER_UA,
    sourceIp: `10.0.0.${schedulerHost + 1}`,
    authzReason: rbacReason("system:kube-scheduler", "system:kube-scheduler", 'User "system:kube-scheduler"'),
    apiserver: schedulerHost,
  });

  const binding = addTask(ctx, { actor: scheduler, shape: s({ verb: "create", resource: "pods", subresource: "binding", scope: "resource" }), flow: "kube-scheduler", schedule: { kind: "triggered" } });
  const createPod = s({ verb: "create", resource: "pods", scope: "resource" });

  const rs = controller("replicaset-controller");
  addTask(ctx, {
    actor: rs,
    shape: createPod,
    flow,
    target: replicaSetPodTarget,
    generateName: true,
    bindTask: binding,
    podDelta: 1,
    schedule: every(10),
  });
  addTask(ctx, {
    actor: rs,
    shape: s({ verb: "delete", resource: "pods", scope: "resource" }),
    flow,
    target: replicaSetPodTarget,
    podDelta: -1,
    schedule: every(10),
  });
  addTask(ctx, {
    actor: rs,
    shape: s({ verb: "update", group: "apps", resource: "replicasets", subresource: "status", scope: "resource" }),
    flow,
    target: replicaSetTarget,
    conflictProb: 0.02,
    schedule: every(4),
  });

  const deploy = controller("deployment-controller");
  addTask(ctx, {
    actor: deploy,
    shape: s({ verb: "update", group: "apps", resource: "deployments", subresource: "status", scope: "resource" }),
    flow,
    target: deploymentTarget,
    conflictProb: 0.01,
    schedule: every(12),
  });
  addTask(ctx, {
    actor: deploy,
    shape: s({ verb: "update", group: "apps", resource: "replicasets", scope: "resource" }),
    flow,
    target: replicaSetTarget,
    conflictProb: 0.02,
    schedule: every(30),
  });

  const slices = controller("endpointslice-controller");
  addTask(ctx, {
    actor: slices,
    shape: s({ verb: "update", group: "discovery.k8s.io", resource: "endpointslices", scope: "resource" }),
    flow,
    target: sliceTarget,
    schedule: every(2),
  });
  addTask(ctx, {
    actor: slices,
    shape: s({ verb: "create", group: "discovery.k8s.io", resource: "endpointslices", scope: "resource" }),
    flow,
    target: sliceTarget,
    generateName: true,
    schedule: every(60),
  });

  const jobs = controller("job-controller");
  addTask(ctx, {
    actor: jobs,
    shape: createPod,
    flow,
    target: jobPodTarget,
    generateName: true,
    bindTask: binding,
    podDelta: 1,
    schedule: every(20),
  });
  addTask(ctx, {
    actor: jobs,
    shape: s({ verb: "get", group: "batch", resource: "jobs", scope: "resource" }),
    flow,
    target: jobTarget,
    schedule: every(20),
  });
  addTask(ctx, {
    actor: jobs,
    shape: s({ verb: "update", group: "batch", resource: "jobs", subresource: "status", scope: "resource" }),
    flow,
    target: jobTarget,
    schedule: every(10),
  });
  // Removing the job-tracking finalizer: a pod UPDATE for admission.
  addTask(ctx, {
    actor: jobs,
    shape: s({ verb: "patch", resource: "pods", scope: "resource" }),
    flow,
    target: jobPodTarget,
    schedule: every(20),
  });

  const lifecycle = controller("node-lifecycle-controller");
  addTask(ctx, {
    actor: lifecycle,
    shape: s({ verb: "list", resource: "pods", scope: "cluster", objects: 30 }),
    flow,
    // The node is derived from the request number: only the audit text needs it.
    query: (req) => `fieldSelector=spec.nodeName%3D${nodeName(mix32(req.seq) % params.nodes)}&resourceVersion=0`,
    schedule: every(15),
  });
  addTask(ctx, {
    actor: lifecycle,
    shape: s({ verb: "patch", resource: "nodes", scope: "resource" }),
    flow,
    target: (r) => ({ name: nodeName(r.int(0, params.nodes - 1)) }),
    schedule: every(120),
  });

  for (const resource of [
    { resource: "pods" },
    { resource: "nodes" },
    { resource: "services" },
    { group: "apps", resource: "replicasets" },
    { group: "apps", resource: "deployments" },
    { group: "batch", resource: "jobs" },
    { group: "discovery.k8s.io", resource: "endpointslices" },
  ]) {
    addTask(ctx, {
      actor: informers,
      shape: s({ verb: "watch", scope: "cluster", ...resource }),
      flow: "kube-controller-manager",
      query: reflectorWatchQuery(),
      schedule: reflectorWatch(),
    });
  }
  addTask(ctx, {
    actor: scheduler,
    shape: s({ verb: "watch", resource: "pods", scope: "cluster" }),
    flow: "kube-scheduler",
    query: reflectorWatchQuery({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
    schedule: reflectorWatch(),
  });
  addTask(ctx, {
    actor: scheduler,
    shape: s({ verb: "watch", resource: "nodes", scope: "cluster" }),
    flow: "kube-scheduler",
    query: reflectorWatchQuery(),
    schedule: reflectorWatch(),
  });

  // Leader election: the holders renew their lease every 2 s (GET, then UPDATE).
  const getLease = s({ verb: "get", group: "coordination.k8s.io", resource: "leases", scope: "resource" });
  const putLease = s({ verb: "update", group: "coordination.k8s.io", resource: "leases", scope: "resource" });
  for (const [actor, name] of [[kcmUser, "kube-controller-manager"], [scheduler, "kube-scheduler"]] as const) {
    const firstUs = Math.floor(rng.uniform(0, 2e6));
    const query = () => "timeout=5s";
    addTask(ctx, {
      actor,
      shape: getLease,
      flow: "system-leader-election",
      namespace: "kube-system",
      name,
      query,
      schedule: periodic(ctx, 2, { firstUs, jitter: 0 }),
    });
    addTask(ctx, {
      actor,
      shape: putLease,
      flow: "system-leader-election",
      namespace: "kube-system",
      name,
      query,
      schedule: periodic(ctx, 2, { firstUs: firstUs + 4000, jitter: 0 }),
    });
  }

  const dnsInstances = addCoreDnsTasks(ctx);
  return { dnsInstances, binding, controller };
}
