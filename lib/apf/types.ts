// API Priority and Fairness (flowcontrol.apiserver.k8s.io) shapes: the subset of PriorityLevelConfiguration and
// FlowSchema that decides seats and matching. Field names follow the v1 API so rules and subjects can be written out
// as they are.

export interface UserSubject {
  kind: "User";
  user: { name: string };
}

export interface GroupSubject {
  kind: "Group";
  group: { name: string };
}

export interface ServiceAccountSubject {
  kind: "ServiceAccount";
  /** name "*" stands for every service account in the namespace. */
  serviceAccount: { namespace: string; name: string };
}

export type Subject = UserSubject | GroupSubject | ServiceAccountSubject;

export interface ResourcePolicyRule {
  verbs: string[];
  apiGroups: string[];
  /** Subresources are written "pods/status". */
  resources: string[];
  /** Whether cluster-scoped requests match. */
  clusterScope?: boolean;
  /** Namespaces of namespaced requests that match; ["*"] for all. */
  namespaces?: string[];
}

export interface NonResourcePolicyRule {
  verbs: string[];
  /** "/healthz", or "/apis/*" for a prefix. */
  nonResourceURLs: string[];
}

export interface PolicyRulesWithSubjects {
  subjects: Subject[];
  resourceRules?: ResourcePolicyRule[];
  nonResourceRules?: NonResourcePolicyRule[];
}

export interface QueuingConfiguration {
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

export type LimitResponse = { type: "Reject" } | { type: "Queue"; queuing: QueuingConfiguration };

export interface PriorityLevel {
  name: string;
  /** Mandatory objects are recreated by the API server when deleted. */
  mandatory?: boolean;
  type: "Exempt" | "Limited";
  nominalConcurrencyShares: number;
  lendablePercent: number;
  /** Limited levels only. */
  limitResponse?: LimitResponse;
}

export type DistinguisherMethod = "ByUser" | "ByNamespace";

export interface FlowSchemaSummary {
  name: string;
  mandatory?: boolean;
  /** 1..10000; the lowest matching one wins, ties broken by name. */
  matchingPrecedence: number;
  priorityLevel: string;
  distinguisher: DistinguisherMethod | null;
  rules: PolicyRulesWithSubjects[];
}
