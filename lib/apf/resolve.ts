// From a client (a user agent) to what a FlowSchema can match. APF cannot match user agents, only users, groups
// and service accounts plus verbs, resources and namespaces: the audit log says which of those the client's
// requests carried, which schema serves them today, and what else those users send (the collateral of a throttle).
import { parseResource } from "../audit/dimensions";
import { BOOTSTRAP_FLOW_SCHEMAS } from "./bootstrap";
import type { SubjectRef } from "./generate";
import { matchFlowSchema } from "./match";
import { namePattern, sharedGroups } from "./pattern";
import type { FlowSchemaSummary } from "./types";

/** The client's traffic in a window, as the audit queries answer it. */
export interface ClientTraffic {
  client: string;
  windowSeconds: number;
  /** Per user: requests, busy seconds (requests that are not long-running) and the groups it authenticated with. */
  users: Array<{ user: string; groups: string[]; requests: number; seconds: number }>;
  /** Per user, verb, resource (as the audit views format it) and namespace ("" or null: none). */
  shapes: Array<{ user: string; verb: string; resource: string; namespace: string | null; requests: number }>;
  /** What the same users sent under other client names. */
  others: Array<{ user: string; client: string | null; requests: number }>;
}

export interface ResolvedSubject {
  ref: SubjectRef;
  user: string;
  requests: number;
  /** Of the client's requests. */
  share: number;
}

export interface CurrentSchema {
  name: string;
  matchingPrecedence: number;
  priorityLevel: string;
  requests: number;
}

export interface Resolution {
  client: string;
  requests: number;
  ratePerSecond: number;
  /** Mean latency of requests that are not long-running (WATCHes hold no seat once started). */
  meanLatencySeconds: number;
  subjects: ResolvedSubject[];
  verbs: string[];
  resources: Array<{ apiGroup: string; resource: string }>;
  namespaces: string[];
  /** Whether some requests named no namespace (cluster-scoped objects or cluster-wide LISTs). */
  clusterScope: boolean;
  /** Requests to non-resource paths (/healthz, /apis): a resource rule does not match them. */
  nonResourceRequests: number;
  /** The schemas that classify the client's requests today, by the default configuration, busiest first. */
  currentSchemas: CurrentSchema[];
  /** Other clients' requests from the same users: a throttle on those users slows them too. */
  collateral: Array<{ user: string; client: string | null; requests: number }>;
  collateralRequests: number;
  /** The subjects in one phrase when they are many (300 node identities: `system:node:*`, group system:nodes). */
  subjectSummary: SubjectSummary | null;
}

export interface SubjectSummary {
  count: number;
  /** The names' shared prefix with `*`, or null. */
  pattern: string | null;
  /** Groups all of them are in (beyond system:authenticated). */
  groups: string[];
}

/** Above this many subjects the list is summarised. */
export const SUMMARISE_ABOVE = 8;

export function summariseSubjects(users: ReadonlyArray<{ user: string; groups: readonly string[] }>): SubjectSummary | null {
  if (users.length <= SUMMARISE_ABOVE) return null;
  return { count: users.length, pattern: namePattern(users.map((u) => u.user)), groups: sharedGroups(users.map((u) => u.groups)) };
}

export function subjectSummaryText(s: SubjectSummary): string {
  const what = [s.pattern, s.groups.length > 0 && `all in group ${s.groups.join(", ")}`].filter(Boolean).join(", ");
  return `${s.count.toLocaleString("en-US")} identities${what ? `: ${what}` : ""}`;
}

const SA = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The subject a FlowSchema matches a user by: its service account, or the user name. */
export function subjectOf(user: string): SubjectRef {
  const m = SA.exec(user);
  return m ? { kind: "ServiceAccount", namespace: m[1]!, name: m[2]! } : { kind: "User", name: user };
}

const byCount = <T extends { requests: number }>(a: T, b: T) => b.requests - a.requests;

export function resolveClient(t: ClientTraffic, schemas: readonly FlowSchemaSummary[] = BOOTSTRAP_FLOW_SCHEMAS): Resolution {
  const requests = t.users.reduce((a, u) => a + u.requests, 0);
  const seconds = t.users.reduce((a, u) => a + u.seconds, 0);
  const groups = new Map(t.users.map((u) => [u.user, u.groups]));
  const verbs = new Set<string>();
  const resources = new Map<string, { apiGroup: string; resource: string }>();
  const namespaces = new Set<string>();
  const current = new Map<string, CurrentSchema>();
  let clusterScope = false;
  let nonResourceRequests = 0;
  for (const s of t.shapes) {
    const k = parseResource(s.resource);
    if (k.resource === null) {
      nonResourceRequests += s.requests;
      continue;
    }
    const resource = k.subresource ? `${k.resource}/${k.subresource}` : k.resource;
    const namespace = s.namespace === "" ? null : s.namespace;
    verbs.add(s.verb);
    resources.set(`${k.api_group}\u0000${resource}`, { apiGroup: k.api_group, resource });
    if (namespace === null) clusterScope = true;
    else namespaces.add(namespace);
    const schema = matchFlowSchema(schemas, {
      user: s.user,
      groups: groups.get(s.user) ?? [],
      verb: s.verb,
      apiGroup: k.api_group,
      resource,
      namespace,
    });
    if (!schema) continue;
    const c = current.get(schema.name) ?? { name: schema.name, matchingPrecedence: schema.matchingPrecedence, priorityLevel: schema.priorityLevel, requests: 0 };
    c.requests += s.requests;
    current.set(schema.name, c);
  }
  const collateral = t.others.filter((o) => o.client !== t.client).sort(byCount);
  return {
    client: t.client,
    requests,
    ratePerSecond: t.windowSeconds > 0 ? requests / t.windowSeconds : 0,
    meanLatencySeconds: requests > 0 ? seconds / requests : 0,
    // A request without a user name cannot be matched by any subject.
    subjects: t.users.filter((u) => u.user !== "").sort(byCount).map((u) => ({ ref: subjectOf(u.user), user: u.user, requests: u.requests, share: requests > 0 ? u.requests / requests : 0 })),
    verbs: [...verbs].sort(),
    resources: [...resources.values()].sort((a, b) => a.apiGroup.localeCompare(b.apiGroup) || a.resource.localeCompare(b.resource)),
    namespaces: [...namespaces].sort(),
    clusterScope,
    nonResourceRequests,
    currentSchemas: [...current.values()].sort(byCount),
    collateral,
    collateralRequests: collateral.reduce((a, o) => a + o.requests, 0),
    subjectSummary: summariseSubjects(t.users.filter((u) => u.user !== "")),
  };
}

/** What the metrics' flow_schema label says about the schemas the defaults pick for the client. */
export interface SchemaEvidence {
  /** The schemas picked that the metrics show traffic for, with their rates. */
  seen: Array<{ name: string; dispatchedPerSecond: number; rejectedPerSecond: number }>;
  /** Picked but absent from the metrics: the cluster's configuration differs from the defaults. */
  unseen: string[];
  /** Schemas in the metrics that the default configuration does not have. */
  custom: string[];
}

export function schemaEvidence(
  current: readonly CurrentSchema[],
  metrics: ReadonlyArray<{ name: string; dispatchedPerSecond: number; rejectedPerSecond: number }>,
  defaults: readonly FlowSchemaSummary[] = BOOTSTRAP_FLOW_SCHEMAS,
): SchemaEvidence {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const known = new Set(defaults.map((d) => d.name));
  return {
    seen: current.flatMap((c) => {
      const m = byName.get(c.name);
      return m ? [{ name: c.name, dispatchedPerSecond: m.dispatchedPerSecond, rejectedPerSecond: m.rejectedPerSecond }] : [];
    }),
    unseen: current.filter((c) => !byName.has(c.name)).map((c) => c.name),
    custom: metrics.map((m) => m.name).filter((n) => !known.has(n)),
  };
}

/** GET /api/audit/apf-subjects. */
export interface ApfSubjectsAnswer {
  windowSeconds: number;
  /** The busiest clients of the window, to choose from. */
  clients: Array<{ client: string; requests: number }>;
  /** The chosen client (the `client` filter) resolved to APF subjects; null when none is chosen. */
  resolution: Resolution | null;
}
