// The simulated cluster: names, addresses and API Priority and Fairness (APF) capacity.

export const CLUSTER_NAME = "prod-eu-1";
export const KUBE_VERSION = "v1.31.4";
export const KUBE_GIT_COMMIT = "a78aa47129b8539636eb86a9d00e31b2720fe06b";
export const KUBE_UA_SUFFIX = `(linux/amd64) kubernetes/${KUBE_GIT_COMMIT.slice(0, 7)}`;

/** The default scenario size; capacity is expressed relative to it (see `capacityOf`). */
export const REFERENCE_NODES = 300;
export const PODS_PER_NODE = 30;

/** APF: a queued request is rejected with reason time-out after waiting this long (a quarter of the request timeout). */
export const APF_QUEUE_WAIT_LIMIT_US = 15e6;
/** Non-long-running requests are answered 504 after this long (--request-timeout). */
export const REQUEST_TIMEOUT_US = 60e6;

export function apiserverInstance(index: number): string {
  return `10.0.0.${index + 1}:6443`;
}

/** Stacked etcd (kubeadm layout): one member beside each of the first three control-plane addresses. */
export const ETCD_MEMBERS = 3;

export function etcdInstance(index: number): string {
  return `10.0.0.${index + 1}:2379`;
}

export function nodeName(index: number): string {
  return `node-${String(index).padStart(4, "0")}`;
}

/** Node addresses come from 10.64.0.0/16, skipping the first ten addresses of the range. */
export function nodeIp(index: number): string {
  const n = index + 10;
  return `10.64.${Math.floor(n / 256)}.${n % 256}`;
}

export interface PriorityLevel {
  name: string;
  /** nominalConcurrencyShares of the default PriorityLevelConfiguration. */
  shares: number;
}

export const PRIORITY_LEVELS: readonly PriorityLevel[] = [
  { name: "exempt", shares: 0 },
  { name: "catch-all", shares: 5 },
  { name: "system", shares: 30 },
  { name: "node-high", shares: 40 },
  { name: "leader-election", shares: 10 },
  { name: "workload-high", shares: 40 },
  { name: "workload-low", shares: 100 },
  { name: "global-default", shares: 20 },
];

export type FlowSchemaName =
  | "system-nodes"
  | "system-node-high"
  | "system-leader-election"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "kube-system-service-accounts"
  | "service-accounts"
  | "global-default";

/** Default FlowSchema -> PriorityLevel bindings used by the simulated clients. */
export const FLOW_SCHEMA_LEVEL: Record<FlowSchemaName, string> = {
  "system-nodes": "system",
  "system-node-high": "node-high",
  "system-leader-election": "leader-election",
  "kube-controller-manager": "workload-high",
  "kube-scheduler": "workload-high",
  "kube-system-service-accounts": "workload-high",
  "service-accounts": "workload-low",
  "global-default": "global-default",
};

export interface Capacity {
  /** nodes / REFERENCE_NODES. */
  scale: number;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  /** Nominal seats per priority level and apiserver. */
  nominalSeats: Record<string, number>;
  /** Requests one flow can have queued at a level before queue-full (hand size 6 x queue length 50). */
  queueLimit: number;
}

/**
 * The control plane is provisioned in proportion to the cluster: the default
 * 300-node cluster runs the stock --max-requests-inflight=400 and
 * --max-mutating-requests-inflight=200, smaller clusters proportionally less.
 * Together with the cost model (per-object costs relative to the reference
 * cluster) this makes a small cluster a scale model of the default one: the
 * same story, fewer requests. Seats follow the real APF formula
 * ceil(serverCL * shares / sum(shares)).
 */
export function capacityOf(nodes: number): Capacity {
  const scale = nodes / REFERENCE_NODES;
  const maxRequestsInflight = Math.max(4, Math.round(400 * scale));
  const maxMutatingRequestsInflight = Math.max(2, Math.round(200 * scale));
  const serverCL = maxRequestsInflight + maxMutatingRequestsInflight;
  const totalShares = PRIORITY_LEVELS.reduce((sum, level) => sum + level.shares, 0);
  const nominalSeats: Record<string, number> = {};
  for (const level of PRIORITY_LEVELS) {
    nominalSeats[level.name] = Math.ceil((serverCL * level.shares) / totalShares);
  }
  return {
    scale,
    maxRequestsInflight,
    maxMutatingRequestsInflight,
    nominalSeats,
    queueLimit: Math.max(6, Math.round(300 * scale)),
  };
}

/** Stored objects of this cluster (apiserver_storage_objects, list sizes). */
export interface ObjectCounts {
  pods: number;
  nodes: number;
  services: number;
  endpointSlices: number;
  namespaces: number;
  configMaps: number;
  secrets: number;
  leases: number;
  events: number;
  replicaSets: number;
  deployments: number;
  jobs: number;
  certificates: number;
  serviceMonitors: number;
}

export function objectCounts(nodes: number): ObjectCounts {
  const services = Math.max(20, 2 * nodes);
  return {
    pods: PODS_PER_NODE * nodes,
    nodes,
    services,
    endpointSlices: Math.round(services * 1.1),
    namespaces: 42,
    configMaps: 40 + 4 * nodes,
    secrets: 60 + 5 * nodes,
    leases: nodes + 6,
    events: 500 + 15 * nodes,
    replicaSets: 30 + 12 * nodes,
    deployments: 10 + 4 * nodes,
    jobs: 5 + Math.round(0.3 * nodes),
    certificates: 5 + Math.round(0.3 * nodes),
    serviceMonitors: 40,
  };
}

/** Namespaces of the applications running on the cluster. */
export const APP_NAMESPACES = [
  "payments",
  "checkout",
  "search",
  "catalog",
  "web",
  "ml-batch",
  "data-pipeline",
  "auth",
] as const;
