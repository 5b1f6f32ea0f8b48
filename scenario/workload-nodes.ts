// Per-node clients: kubelet, kube-proxy and, once rolled out, the telemetry agent.

import { makeActor, serviceAccountActor } from "./actors";
import { KUBE_UA_SUFFIX, nodeIp, nodeName } from "./cluster";
import { defineShape, pathOf } from "./shapes";
import { fixedQuery, reflectorWatchQuery } from "./task";
import type { ControlPlane } from "./workload-control-plane";
import { nameSuffix } from "./rng";
import type { CulpritRequestShape } from "./types";
import {
  addTask,
  periodic,
  randomObjectTarget,
  reflectorWatch,
  type WorkloadContext,
} from "./workload-context";

export const CULPRIT = {
  client: "telemetry-agent",
  daemonSet: "telemetry-agent",
  namespace: "telemetry",
  serviceAccount: "telemetry-agent",
  username: "system:serviceaccount:telemetry:telemetry-agent",
  userAgent: "telemetry-agent/v0.9.0 (linux/amd64) telemetry-agent/3f2a9c1",
} as const;

export interface CulpritInfo {
  requestShapes: CulpritRequestShape[];
  /** Nodes whose agent starts inside the window. */
  fanOut: number;
}

const KUBELET_UA = `kubelet/v1.31.4 ${KUBE_UA_SUFFIX}`;
const KUBE_PROXY_UA = `kube-proxy/v1.31.4 ${KUBE_UA_SUFFIX}`;
const PROXY_SELECTOR = "!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name";
const KUBELET_CONFIGMAPS = ["kube-root-ca.crt", "app-config", "feature-flags", "logging-config"];
const KUBELET_SECRETS = ["registry-credentials", "tls-client", "db-credentials"];

export function addNodeTasks(ctx: WorkloadContext, controlPlane: ControlPlane): CulpritInfo {
  const { params, timeline, counts, rng } = ctx;
  const shapes = {
    lease: defineShape({ verb: "update", group: "coordination.k8s.io", resource: "leases", scope: "resource" }),
    nodeStatus: defineShape({ verb: "patch", resource: "nodes", subresource: "status", scope: "resource" }),
    getConfigMap: defineShape({ verb: "get", resource: "configmaps", scope: "resource" }),
    getSecret: defineShape({ verb: "get", resource: "secrets", scope: "resource" }),
    watchOwnPods: defineShape({ verb: "watch", resource: "pods", scope: "cluster" }),
    // A fieldSelector on metadata.name makes the metrics scope "resource".
    watchOwnNode: defineShape({ verb: "watch", resource: "nodes", scope: "resource" }),
    watchSlices: defineShape({ verb: "watch", group: "discovery.k8s.io", resource: "endpointslices", scope: "cluster" }),
    watchServices: defineShape({ verb: "watch", resource: "services", scope: "cluster" }),
    listPods: defineShape({ verb: "list", resource: "pods", scope: "cluster", objects: counts.pods, fromEtcd: true }),
    listNodes: defineShape({ verb: "list", resource: "nodes", scope: "cluster", objects: counts.nodes, fromEtcd: true }),
    listEndpoints: defineShape({ verb: "list", resource: "endpoints", scope: "cluster", objects: counts.services, fromEtcd: true }),
    // Without a resourceVersion the watch first sends every pod as ADDED.
    watchAllPods: defineShape({ verb: "watch", resource: "pods", scope: "cluster", objects: counts.pods }),
  };
  let fanOut = 0;
  // The DaemonSet controller creates one agent pod per node as the rollout reaches it; retried like a controller requeue.
  const daemonSets = controlPlane.controller("daemon-set-controller", 5);
  const createPod = defineShape({ verb: "create", resource: "pods", scope: "resource" });

  for (let i = 0; i < params.nodes; i++) {
    const node = nodeName(i);
    const ip = nodeIp(i);
    const kubelet = makeActor({
      client: "kubelet",
      username: `system:node:${node}`,
      groups: ["system:nodes", "system:authenticated"],
      userAgent: KUBELET_UA,
      sourceIp: ip,
      authzReason: "",
      apiserver: rng.int(0, params.apiservers - 1),
    });
    const leaseNs = "kube-node-lease";
    addTask(ctx, {
      actor: kubelet,
      shape: shapes.lease,
      flow: "system-node-high",
      namespace: leaseNs,
      name: node,
      query: fixedQuery("timeout=10s"),
      schedule: periodic(ctx, 10, { jitter: 0.04 }),
    });
    addTask(ctx, {
      actor: kubelet,
      shape: shapes.nodeStatus,
      flow: "system-node-high",
      name: node,
      query: fixedQuery("timeout=10s"),
      schedule: periodic(ctx, 60, { jitter: 0.05 }),
    });
    addTask(ctx, {
      actor: kubelet,
      shape: shapes.getConfigMap,
      flow: "system-nodes",
      target: randomObjectTarget(KUBELET_CONFIGMAPS),
      schedule: periodic(ctx, 240, { jitter: 0.5 }),
    });
    addTask(ctx, {
      actor: kubelet,
      shape: shapes.getSecret,
      flow: "system-nodes",
      target: randomObjectTarget(KUBELET_SECRETS),
      schedule: periodic(ctx, 300, { jitter: 0.5 }),
    });
    addTask(ctx, {
      actor: kubelet,
      shape: shapes.watchOwnPods,
      flow: "system-nodes",
      query: reflectorWatchQuery({ fieldSelector: `spec.nodeName=${node}` }),
      schedule: reflectorWatch(),
    });
    addTask(ctx, {
      actor: kubelet,
      shape: shapes.watchOwnNode,
      flow: "system-node-high",
      name: node,
      query: reflectorWatchQuery({ fieldSelector: `metadata.name=${node}` }),
      schedule: reflectorWatch(),
    });

    const proxy = serviceAccountActor({
      client: "kube-proxy",
      namespace: "kube-system",
      name: "kube-proxy",
      userAgent: KUBE_PROXY_UA,
      sourceIp: ip,
      apiserver: rng.int(0, params.apiservers - 1),
      binding: "kubeadm:node-proxier",
      role: "system:node-proxier",
      seed: params.seed,
    });
    const proxyWatch = reflectorWatchQuery({ labelSelector: PROXY_SELECTOR });
    addTask(ctx, {
      actor: proxy,
      shape: shapes.watchSlices,
      flow: "kube-system-service-accounts",
      query: proxyWatch,
      schedule: reflectorWatch(),
    });
    addTask(ctx, {
      actor: proxy,
      shape: shapes.watchServices,
      flow: "kube-system-service-accounts",
      query: proxyWatch,
      schedule: reflectorWatch(),
    });

    // The agent starts on node i at incidentStart + rollout * i / nodes.
    const rolloutUs = timeline.incidentStartUs + Math.floor((timeline.rolloutUs * i) / params.nodes);
    if (rolloutUs >= timeline.endUs) continue;
    fanOut++;
    addTask(ctx, {
      actor: daemonSets,
      shape: createPod,
      flow: "kube-system-service-accounts",
      namespace: CULPRIT.namespace,
      name: `${CULPRIT.daemonSet}-${nameSuffix(rng)}`,
      generateName: true,
      bindTask: controlPlane.binding,
      podDelta: 1,
      schedule: { kind: "once", atUs: rolloutUs },
    });
    const agent = serviceAccountActor({
      client: CULPRIT.client,
      namespace: CULPRIT.namespace,
      name: CULPRIT.serviceAccount,
      userAgent: CULPRIT.userAgent,
      sourceIp: ip,
      apiserver: rng.int(0, params.apiservers - 1),
      binding: "telemetry-agent",
      role: "telemetry-agent",
      retries: 3,
      seed: params.seed,
    });
    const flow = "service-accounts";
    // The agent's first cluster-wide LIST follows its pod creation by a few seconds (schedule, pull, start).
    const startedUs = rolloutUs + Math.floor(rng.uniform(2e6, 5e6));
    addTask(ctx, {
      actor: agent,
      shape: shapes.listPods,
      flow,
      schedule: periodic(ctx, 10, { firstUs: startedUs, jitter: 0.1 }),
    });
    addTask(ctx, {
      actor: agent,
      shape: shapes.listNodes,
      flow,
      schedule: periodic(ctx, 30, { firstUs: startedUs + Math.floor(rng.uniform(0.5e6, 30e6)), jitter: 0.1 }),
    });
    addTask(ctx, {
      actor: agent,
      shape: shapes.listEndpoints,
      flow,
      schedule: periodic(ctx, 30, { firstUs: startedUs + Math.floor(rng.uniform(0.5e6, 30e6)), jitter: 0.1 }),
    });
    // No timeoutSeconds: the apiserver closes the watch after 30-60 min (--min-request-timeout=1800).
    addTask(ctx, {
      actor: agent,
      shape: shapes.watchAllPods,
      flow,
      query: fixedQuery("watch=true"),
      schedule: { kind: "watch", firstUs: startedUs + Math.floor(rng.uniform(1e6, 3e6)), minTimeoutS: 1800, maxTimeoutS: 3599, preexisting: false },
    });
  }

  const describe = (shape: typeof shapes.listPods, periodSeconds: number | null, query = ""): CulpritRequestShape => ({
    verb: shape.verb,
    metricVerb: shape.metricVerb,
    resource: shape.resource,
    scope: shape.scope,
    requestURI: pathOf(shape) + query,
    periodSeconds,
    resourceVersion: "unset",
    limit: "unset",
  });
  return {
    fanOut,
    requestShapes: [
      describe(shapes.listPods, 10),
      describe(shapes.listNodes, 30),
      describe(shapes.listEndpoints, 30),
      describe(shapes.watchAllPods, null, "?watch=true"),
    ],
  };
}
