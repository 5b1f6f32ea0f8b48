// The API server's default APF configuration (Kubernetes 1.35, k8s.io/apiserver bootstrap/default.go). The objects
// carry apf.kubernetes.io/autoupdate-spec "true", so the API server keeps them at this spec; a cluster differs only
// where someone set the annotation to "false" and edited the object, or added objects of their own.
import type { FlowSchemaSummary, PolicyRulesWithSubjects, PriorityLevel, QueuingConfiguration, Subject } from "./types";

/** --max-requests-inflight 400 + --max-mutating-requests-inflight 200: the seats APF shares out by default. */
export const DEFAULT_SERVER_LIMIT = 600;

const queue = (queues: number, handSize: number, queueLengthLimit: number) =>
  ({ type: "Queue", queuing: { queues, handSize, queueLengthLimit } satisfies QueuingConfiguration }) as const;

/** Default priority levels, mandatory ones first. */
export const BOOTSTRAP_PRIORITY_LEVELS: readonly PriorityLevel[] = ([
  { name: "exempt", mandatory: true, type: "Exempt", nominalConcurrencyShares: 0, lendablePercent: 0 },
  {
    name: "catch-all",
    mandatory: true,
    type: "Limited",
    nominalConcurrencyShares: 5,
    lendablePercent: 0,
    limitResponse: { type: "Reject" },
  },
  { name: "system", type: "Limited", nominalConcurrencyShares: 30, lendablePercent: 33, limitResponse: queue(64, 6, 50) },
  { name: "node-high", type: "Limited", nominalConcurrencyShares: 40, lendablePercent: 25, limitResponse: queue(64, 6, 50) },
  { name: "leader-election", type: "Limited", nominalConcurrencyShares: 10, lendablePercent: 0, limitResponse: queue(16, 4, 50) },
  { name: "workload-high", type: "Limited", nominalConcurrencyShares: 40, lendablePercent: 50, limitResponse: queue(128, 6, 50) },
  { name: "workload-low", type: "Limited", nominalConcurrencyShares: 100, lendablePercent: 90, limitResponse: queue(128, 6, 50) },
  { name: "global-default", type: "Limited", nominalConcurrencyShares: 20, lendablePercent: 50, limitResponse: queue(128, 6, 50) },
] satisfies PriorityLevel[]).map((l) => ({ mandatory: false, ...l }));

const group = (name: string): Subject => ({ kind: "Group", group: { name } });
const user = (name: string): Subject => ({ kind: "User", user: { name } });
const kubeSystemServiceAccounts: Subject = { kind: "ServiceAccount", serviceAccount: { namespace: "kube-system", name: "*" } };
const everyone = () => [group("system:unauthenticated"), group("system:authenticated")];
/** Namespaced requests in every namespace, no cluster-scoped ones. */
const namespacesOnly = () => ({ clusterScope: false, namespaces: ["*"] });

/** Every verb on every resource (namespaced and cluster-scoped) and every non-resource URL. */
const all = (subjects: Subject[]): PolicyRulesWithSubjects => ({
  subjects,
  resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"] }],
  nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
});

/** Default flow schemas in matching order (precedence, then name). */
export const BOOTSTRAP_FLOW_SCHEMAS: readonly FlowSchemaSummary[] = ([
  {
    name: "exempt",
    mandatory: true,
    matchingPrecedence: 1,
    priorityLevel: "exempt",
    distinguisher: null,
    rules: [all([group("system:masters")])],
  },
  {
    name: "probes",
    matchingPrecedence: 2,
    priorityLevel: "exempt",
    distinguisher: null,
    rules: [{ subjects: everyone(), nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/readyz", "/livez"] }] }],
  },
  {
    name: "system-leader-election",
    matchingPrecedence: 100,
    priorityLevel: "leader-election",
    distinguisher: "ByUser",
    rules: [
      {
        subjects: [user("system:kube-controller-manager"), user("system:kube-scheduler"), kubeSystemServiceAccounts],
        resourceRules: [
          { verbs: ["get", "create", "update"], apiGroups: ["coordination.k8s.io"], resources: ["leases"], ...namespacesOnly() },
        ],
      },
    ],
  },
  {
    name: "system-node-high",
    matchingPrecedence: 400,
    priorityLevel: "node-high",
    distinguisher: "ByUser",
    rules: [
      {
        subjects: [group("system:nodes")],
        resourceRules: [
          { verbs: ["*"], apiGroups: [""], resources: ["nodes", "nodes/status"], clusterScope: true, namespaces: ["*"] },
          { verbs: ["*"], apiGroups: ["coordination.k8s.io"], resources: ["leases"], ...namespacesOnly() },
        ],
      },
    ],
  },
  {
    name: "system-nodes",
    matchingPrecedence: 500,
    priorityLevel: "system",
    distinguisher: "ByUser",
    rules: [all([group("system:nodes")])],
  },
  {
    name: "kube-controller-manager",
    matchingPrecedence: 800,
    priorityLevel: "workload-high",
    distinguisher: "ByNamespace",
    rules: [all([user("system:kube-controller-manager")])],
  },
  {
    name: "kube-scheduler",
    matchingPrecedence: 800,
    priorityLevel: "workload-high",
    distinguisher: "ByNamespace",
    rules: [all([user("system:kube-scheduler")])],
  },
  {
    name: "kube-system-service-accounts",
    matchingPrecedence: 900,
    priorityLevel: "workload-high",
    distinguisher: "ByNamespace",
    rules: [all([kubeSystemServiceAccounts])],
  },
  {
    name: "service-accounts",
    matchingPrecedence: 9000,
    priorityLevel: "workload-low",
    distinguisher: "ByUser",
    rules: [all([group("system:serviceaccounts")])],
  },
  { name: "global-default", matchingPrecedence: 9900, priorityLevel: "global-default", distinguisher: "ByUser", rules: [all(everyone())] },
  {
    name: "catch-all",
    mandatory: true,
    matchingPrecedence: 10000,
    priorityLevel: "catch-all",
    distinguisher: "ByUser",
    rules: [all(everyone())],
  },
] satisfies FlowSchemaSummary[]).map((s) => ({ mandatory: false, ...s }));
