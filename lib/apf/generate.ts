// A throttle for one client: a small Limited priority level of its own and a FlowSchema that sends the client's
// traffic there ahead of the schema that serves it today. Written out as YAML for kubectl; nothing is applied here.
import { isDns1123Subdomain, objectName, shellQuote } from "../export/names";
import type { LimitResponse, QueuingConfiguration, ResourcePolicyRule, Subject } from "./types";
import { toYamlStream } from "../export/yaml";

export type SubjectRef =
  | { kind: "ServiceAccount"; namespace: string; name: string }
  | { kind: "User"; name: string }
  | { kind: "Group"; name: string };

export interface ThrottleInput {
  /** The client's display name (its user agent product): attacker-controlled, used for the name and an annotation. */
  culprit: string;
  subjects: SubjectRef[];
  verbs: string[];
  /** Subresources as "pods/status". */
  resources: Array<{ apiGroup: string; resource: string }>;
  namespaces: string[] | "*";
  /** Whether cluster-scoped requests (and cluster-wide lists) are throttled too. */
  clusterScope: boolean;
  /** The schemas that classify this traffic today (from match.ts or the flow_schema metric label). */
  currentSchemas: Array<{ name: string; matchingPrecedence: number }>;
  /** nominalConcurrencyShares of the new level (default 5). */
  shares?: number;
  mode?: "Queue" | "Reject";
  queuing?: Partial<QueuingConfiguration>;
  /** v1 from Kubernetes 1.29; v1beta3 (1.26 to 1.31) has the same fields. */
  apiVersion?: "v1" | "v1beta3";
  /** Object name; derived from the culprit when absent. */
  name?: string;
  /** File name used in the kubectl apply command. */
  file?: string;
}

interface ObjectMeta {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PriorityLevelObject {
  apiVersion: string;
  kind: "PriorityLevelConfiguration";
  metadata: ObjectMeta;
  spec: {
    type: "Limited";
    limited: { nominalConcurrencyShares: number; lendablePercent: number; borrowingLimitPercent: number; limitResponse: LimitResponse };
  };
}

export interface FlowSchemaObject {
  apiVersion: string;
  kind: "FlowSchema";
  metadata: ObjectMeta;
  spec: {
    priorityLevelConfiguration: { name: string };
    matchingPrecedence: number;
    distinguisherMethod: { type: "ByUser" };
    rules: Array<{ subjects: Subject[]; resourceRules: ResourcePolicyRule[] }>;
  };
}

export interface ThrottlePlan {
  name: string;
  priorityLevel: PriorityLevelObject;
  flowSchema: FlowSchemaObject;
  /** Two YAML documents: the priority level first, so the schema never points at a missing level. */
  yaml: string;
  applyCommand: string;
  rollbackCommand: string;
  /** Things the caller should show next to the YAML. */
  notes: string[];
}

/** Label on both objects, value "apiscope": how to find (and clean up) what apiscope generated. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** Annotation on both objects holding the client's display name. */
export const CULPRIT_ANNOTATION = "apiscope/culprit";
/** Queuing of a new level unless the caller chooses: small, like the default leader-election level. */
export const DEFAULT_QUEUING: QueuingConfiguration = { queues: 16, handSize: 4, queueLengthLimit: 50 };
const NAME_PREFIX = "apiscope-throttle";
const DEFAULT_SHARES = 5;
/** exempt is 1 and probes 2: a schema there or before them would outrank the API server's own exemptions. */
const MIN_PRECEDENCE = 3;
const MAX_ANNOTATION = 1024;

const GROUP = "flowcontrol.apiserver.k8s.io";

// Lone surrogates cannot be encoded as UTF-8 (the API server would mangle them); control characters (terminal escape
// sequences) and bidi overrides would act on whoever reads the annotation in a terminal. The annotation stays short.
const unsafe = (cp: number) =>
  (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) ||
  (cp >= 0x7f && cp <= 0x9f) ||
  (cp >= 0x202a && cp <= 0x202e) ||
  (cp >= 0x2066 && cp <= 0x2069) ||
  (cp >= 0xd800 && cp <= 0xdfff); // iterating by code point, only lone surrogates land here

/** The culprit as written into the annotation. */
export function annotationValue(text: string): string {
  const chars = [...text].map((ch) => (unsafe(ch.codePointAt(0)!) ? "\uFFFD" : ch));
  return chars.length <= MAX_ANNOTATION ? chars.join("") : `${chars.slice(0, MAX_ANNOTATION - 1).join("")}…`;
}

function toSubject(s: SubjectRef): Subject {
  if (s.name === "" || (s.kind === "ServiceAccount" && s.namespace === "")) {
    throw new RangeError("a subject needs a name (and a service account a namespace)");
  }
  if (s.kind === "ServiceAccount") return { kind: "ServiceAccount", serviceAccount: { namespace: s.namespace, name: s.name } };
  return s.kind === "User" ? { kind: "User", user: { name: s.name } } : { kind: "Group", group: { name: s.name } };
}

// The API server accepts a wildcard only alone in its list.
const wildcardAlone = (values: readonly string[]) => (values.includes("*") ? ["*"] : [...new Set(values)]);

/** One rule per API group: a single rule listing all groups and resources would also match their cross product. */
function resourceRules(input: ThrottleInput): ResourcePolicyRule[] {
  const verbs = wildcardAlone(input.verbs);
  const namespaces = input.namespaces === "*" ? ["*"] : wildcardAlone(input.namespaces);
  if (verbs.length === 0 || input.resources.length === 0) throw new RangeError("verbs and resources must not be empty");
  if (namespaces.length === 0 && !input.clusterScope) throw new RangeError("give namespaces or clusterScope, or the rule matches nothing");
  const byGroup = new Map<string, string[]>();
  for (const { apiGroup, resource } of input.resources) byGroup.set(apiGroup, [...(byGroup.get(apiGroup) ?? []), resource]);
  const groups = byGroup.has("*") ? new Map([["*", [...byGroup.values()].flat()]]) : byGroup;
  return [...groups].map(([group, resources]) => ({
    verbs: [...verbs],
    apiGroups: [group],
    resources: wildcardAlone(resources),
    clusterScope: input.clusterScope,
    ...(namespaces.length > 0 ? { namespaces: [...namespaces] } : {}),
  }));
}

/** One ahead of the lowest schema serving the traffic today, never at or before exempt and probes. */
export function throttlePrecedence(current: ReadonlyArray<{ matchingPrecedence: number }>): number {
  if (current.length === 0) throw new RangeError("name at least one schema that classifies this traffic today");
  const lowest = Math.min(...current.map((s) => s.matchingPrecedence));
  return Math.min(10000, Math.max(MIN_PRECEDENCE, lowest - 1));
}

function limitResponse(input: ThrottleInput): LimitResponse {
  if ((input.mode ?? "Queue") === "Reject") return { type: "Reject" };
  const given = input.queuing ?? {};
  const q: QueuingConfiguration = {
    queues: given.queues ?? DEFAULT_QUEUING.queues,
    handSize: given.handSize ?? DEFAULT_QUEUING.handSize,
    queueLengthLimit: given.queueLengthLimit ?? DEFAULT_QUEUING.queueLengthLimit,
  };
  const ok = [q.queues, q.handSize, q.queueLengthLimit].every((n) => Number.isInteger(n) && n > 0 && n <= 2 ** 31 - 1);
  if (!ok || q.handSize > q.queues) {
    throw new RangeError("queues, handSize and queueLengthLimit must be positive integers, handSize ≤ queues");
  }
  // The API server refuses shuffle-sharding configurations that need more than 60 bits of hash or 2^26 queues.
  if (q.queues > 2 ** 26 || Math.ceil(Math.log2(q.queues) * q.handSize) > 60) {
    throw new RangeError("handSize is too large for that many queues");
  }
  return { type: "Queue", queuing: q };
}

/** The objects, their YAML and the kubectl commands that apply and remove them. */
export function throttlePlan(input: ThrottleInput): ThrottlePlan {
  const name = input.name ?? objectName(input.culprit, NAME_PREFIX);
  if (!isDns1123Subdomain(name)) throw new RangeError("the name must be a DNS-1123 subdomain");
  const shares = input.shares ?? DEFAULT_SHARES;
  if (!Number.isInteger(shares) || shares < 1 || shares > 2 ** 31 - 1) throw new RangeError("shares must be a positive integer");
  const apiVersion = `${GROUP}/${input.apiVersion ?? "v1"}`;
  const metadata = (): ObjectMeta => ({
    name,
    labels: { [MANAGED_BY_LABEL]: "apiscope" },
    annotations: { [CULPRIT_ANNOTATION]: annotationValue(input.culprit) },
  });
  const matchingPrecedence = throttlePrecedence(input.currentSchemas);
  const priorityLevel: PriorityLevelObject = {
    apiVersion,
    kind: "PriorityLevelConfiguration",
    metadata: metadata(),
    // borrowingLimitPercent 0: the level keeps to its nominal seats instead of borrowing idle ones from other levels.
    spec: {
      type: "Limited",
      limited: { nominalConcurrencyShares: shares, lendablePercent: 0, borrowingLimitPercent: 0, limitResponse: limitResponse(input) },
    },
  };
  if (input.subjects.length === 0) throw new RangeError("name at least one subject");
  const flowSchema: FlowSchemaObject = {
    apiVersion,
    kind: "FlowSchema",
    metadata: metadata(),
    spec: {
      priorityLevelConfiguration: { name },
      matchingPrecedence,
      distinguisherMethod: { type: "ByUser" },
      rules: [{ subjects: input.subjects.map(toSubject), resourceRules: resourceRules(input) }],
    },
  };
  const yaml = toYamlStream([priorityLevel, flowSchema]);
  const file = input.file ?? `${name}.yaml`;
  const notes: string[] = [];
  const lowest = Math.min(...input.currentSchemas.map((s) => s.matchingPrecedence));
  if (matchingPrecedence >= lowest) {
    notes.push(`precedence ${matchingPrecedence} does not come before ${lowest}: the schema serving this traffic today may still win`);
  }
  if (input.apiVersion === "v1beta3") notes.push("v1beta3 is served by Kubernetes 1.26 to 1.31 only; use v1 from 1.29 on");
  return {
    name,
    priorityLevel,
    flowSchema,
    yaml,
    applyCommand: `kubectl apply -f ${shellQuote(file)}`,
    rollbackCommand: `kubectl delete flowschema ${shellQuote(name)} && kubectl delete prioritylevelconfiguration ${shellQuote(name)}`,
    notes,
  };
}
