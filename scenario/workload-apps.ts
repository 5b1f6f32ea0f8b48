// Add-on operators and CI: service accounts outside kube-system land in the
// same workload-low priority level as the telemetry agent and suffer with it.

import { makeActor, rbacReason, serviceAccountActor } from "./actors";
import { defineShape } from "./shapes";
import { reflectorWatchQuery, fixedQuery } from "./task";
import {
  addTask,
  deploymentName,
  periodic,
  pickAppNamespace,
  randomObjectTarget,
  reflectorWatch,
  type WorkloadContext,
} from "./workload-context";
import type { Rng } from "./rng";
import type { Target } from "./task";

const deploymentTarget = (rng: Rng): Target => {
  const namespace = pickAppNamespace(rng);
  return { namespace, name: deploymentName(rng, namespace) };
};
const namespaceTarget = (rng: Rng): Target => ({ namespace: pickAppNamespace(rng) });

export function addAppTasks(ctx: WorkloadContext): void {
  const { params, rng } = ctx;
  const pinned = () => rng.int(0, params.apiservers - 1);
  // Operators and CI do the same work whatever the node count.
  const every = (periodS: number) => periodic(ctx, periodS, { jitter: 0.5 });
  const low = "service-accounts";
  const informerList = fixedQuery("limit=500&resourceVersion=0");

  const certManager = serviceAccountActor({
    client: "cert-manager",
    namespace: "cert-manager",
    name: "cert-manager",
    userAgent: "cert-manager-controller/v1.16.2 (linux/amd64) cert-manager/4a2ef1b",
    sourceIp: "10.244.2.17",
    apiserver: pinned(),
    binding: "cert-manager-controller-certificates",
    role: "cert-manager-controller-certificates",
    retries: 3,
    seed: params.seed,
  });
  const certificates = { group: "cert-manager.io", resource: "certificates" } as const;
  addTask(ctx, {
    actor: certManager,
    shape: defineShape({ verb: "get", resource: "secrets", scope: "resource" }),
    flow: low,
    target: randomObjectTarget(["tls-frontend", "tls-api", "tls-internal"]),
    notFoundProb: 0.03,
    schedule: every(6),
  });
  addTask(ctx, {
    actor: certManager,
    shape: defineShape({ verb: "get", ...certificates, scope: "resource" }),
    flow: low,
    target: randomObjectTarget(["frontend", "api", "internal"]),
    schedule: every(8),
  });
  addTask(ctx, {
    actor: certManager,
    shape: defineShape({ verb: "update", ...certificates, subresource: "status", scope: "resource" }),
    flow: low,
    target: randomObjectTarget(["frontend", "api", "internal"]),
    conflictProb: 0.03,
    schedule: every(40),
  });
  addTask(ctx, {
    actor: certManager,
    shape: defineShape({ verb: "watch", ...certificates, scope: "cluster" }),
    flow: low,
    query: reflectorWatchQuery(),
    schedule: reflectorWatch(),
  });

  const promOperator = serviceAccountActor({
    client: "prometheus-operator",
    namespace: "monitoring",
    name: "prometheus-operator",
    userAgent: "PrometheusOperator/0.79.0",
    sourceIp: "10.244.3.22",
    apiserver: pinned(),
    binding: "prometheus-operator",
    role: "prometheus-operator",
    retries: 3,
    seed: params.seed,
  });
  const monitoring = { namespace: "monitoring" };
  const serviceMonitors = { group: "monitoring.coreos.com", resource: "servicemonitors" } as const;
  addTask(ctx, {
    actor: promOperator,
    shape: defineShape({ verb: "get", group: "apps", resource: "statefulsets", scope: "resource" }),
    flow: low,
    ...monitoring,
    name: "prometheus-k8s",
    schedule: every(15),
  });
  addTask(ctx, {
    actor: promOperator,
    shape: defineShape({ verb: "update", resource: "secrets", scope: "resource" }),
    flow: low,
    ...monitoring,
    name: "prometheus-k8s",
    schedule: every(30),
  });
  addTask(ctx, {
    actor: promOperator,
    shape: defineShape({ verb: "list", ...serviceMonitors, scope: "namespace", objects: 15 }),
    flow: low,
    target: namespaceTarget,
    query: informerList,
    schedule: every(20),
  });
  addTask(ctx, {
    actor: promOperator,
    shape: defineShape({ verb: "watch", ...serviceMonitors, scope: "cluster" }),
    flow: low,
    query: reflectorWatchQuery(),
    schedule: reflectorWatch(),
  });

  const argo = serviceAccountActor({
    client: "argocd-application-controller",
    namespace: "argocd",
    name: "argocd-application-controller",
    userAgent: "argocd-application-controller/v2.13.1+af54ef8 (linux/amd64)",
    sourceIp: "10.244.4.9",
    apiserver: pinned(),
    binding: "argocd-application-controller",
    role: "argocd-application-controller",
    retries: 3,
    seed: params.seed,
  });
  const deployments = { group: "apps", resource: "deployments" } as const;
  addTask(ctx, {
    actor: argo,
    shape: defineShape({ verb: "get", ...deployments, scope: "resource" }),
    flow: low,
    target: deploymentTarget,
    schedule: every(5),
  });
  addTask(ctx, {
    actor: argo,
    shape: defineShape({ verb: "patch", apply: true, ...deployments, scope: "resource" }),
    flow: low,
    target: deploymentTarget,
    query: fixedQuery("fieldManager=argocd-controller&force=true"),
    schedule: every(90),
  });
  addTask(ctx, {
    actor: argo,
    shape: defineShape({ verb: "watch", group: "argoproj.io", version: "v1alpha1", resource: "applications", scope: "cluster" }),
    flow: low,
    query: reflectorWatchQuery(),
    schedule: reflectorWatch(),
  });

  const ciGroups = ["ci:deployers", "system:authenticated"];
  const deployer = makeActor({
    client: "ci-deployer",
    username: "ci-deployer@example.com",
    groups: ciGroups,
    userAgent: "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
    sourceIp: "203.0.113.10",
    authzReason: rbacReason("ci-deployers/payments", "edit", 'Group "ci:deployers"'),
    apiserver: pinned(),
  });
  addTask(ctx, {
    actor: deployer,
    shape: defineShape({ verb: "get", ...deployments, scope: "resource" }),
    flow: "global-default",
    target: deploymentTarget,
    notFoundProb: 0.05,
    schedule: every(60),
  });
  addTask(ctx, {
    actor: deployer,
    shape: defineShape({ verb: "patch", apply: true, ...deployments, scope: "resource" }),
    flow: "global-default",
    target: deploymentTarget,
    query: fixedQuery("fieldManager=kubectl&fieldValidation=Strict&force=false"),
    schedule: every(120),
  });
  addTask(ctx, {
    actor: deployer,
    shape: defineShape({ verb: "list", resource: "configmaps", scope: "namespace", objects: 25, fromEtcd: true }),
    flow: "global-default",
    target: namespaceTarget,
    query: fixedQuery("limit=500"),
    schedule: every(90),
  });
  addTask(ctx, {
    actor: deployer,
    shape: defineShape({ verb: "create", group: "batch", resource: "jobs", scope: "resource" }),
    flow: "global-default",
    target: (r) => ({ namespace: r.pick(["ml-batch", "data-pipeline"]), name: `db-migrate-${r.int(1000, 9999)}` }),
    query: fixedQuery("fieldManager=kubectl-create&fieldValidation=Strict"),
    schedule: every(300),
  });

  const helm = makeActor({
    client: "helm",
    username: "release-bot@example.com",
    groups: ciGroups,
    userAgent: "Helm/3.16.3",
    sourceIp: "203.0.113.11",
    authzReason: rbacReason("ci-deployers/payments", "edit", 'Group "ci:deployers"'),
    apiserver: pinned(),
  });
  addTask(ctx, {
    actor: helm,
    shape: defineShape({ verb: "list", resource: "secrets", scope: "namespace", objects: 20, fromEtcd: true }),
    flow: "global-default",
    target: namespaceTarget,
    query: fixedQuery("labelSelector=owner%3Dhelm"),
    schedule: every(120),
  });
  addTask(ctx, {
    actor: helm,
    shape: defineShape({ verb: "get", ...deployments, scope: "resource" }),
    flow: "global-default",
    target: deploymentTarget,
    schedule: every(120),
  });
  addTask(ctx, {
    actor: helm,
    shape: defineShape({ verb: "patch", ...deployments, scope: "resource" }),
    flow: "global-default",
    target: deploymentTarget,
    schedule: every(180),
  });
}
