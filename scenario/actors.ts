// Who sends requests: authenticated identities as they appear in audit events.

import { mix32, uuidFrom } from "./rng";

export interface Actor {
  /** Client name used for grouping in the summary ("kubelet", "telemetry-agent", ...). */
  client: string;
  username: string;
  uid?: string;
  groups: readonly string[];
  userAgent: string;
  sourceIp: string;
  /** authorization.k8s.io/reason annotation ("" for the Node authorizer). */
  authzReason: string;
  /** Index of the apiserver this client's connection is pinned to (HTTP/2 keeps one connection). */
  apiserver: number;
  /** How many times a request is retried after 429 or 504. */
  retries: number;
  /** JSON fragments precomputed once for the audit serializer. */
  json: { user: string; sourceIPs: string; userAgent: string; annotations: string };
}

type ActorSpec = Omit<Actor, "json" | "retries"> & { retries?: number };

export function makeActor(spec: ActorSpec): Actor {
  const user: Record<string, unknown> = { username: spec.username };
  if (spec.uid) user.uid = spec.uid;
  user.groups = spec.groups;
  return {
    ...spec,
    retries: spec.retries ?? 0,
    json: {
      user: JSON.stringify(user),
      sourceIPs: JSON.stringify([spec.sourceIp]),
      userAgent: JSON.stringify(spec.userAgent),
      annotations: `"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":${JSON.stringify(spec.authzReason)}`,
    },
  };
}

export function rbacReason(binding: string, role: string, subject: string): string {
  const bindingKind = binding.includes("/") ? "RoleBinding" : "ClusterRoleBinding";
  return `RBAC: allowed by ${bindingKind} "${binding}" of ClusterRole "${role}" to ${subject}`;
}

interface ServiceAccountSpec {
  client: string;
  namespace: string;
  name: string;
  userAgent: string;
  sourceIp: string;
  apiserver: number;
  /** ClusterRoleBinding (or "name/namespace" RoleBinding) and ClusterRole granting access. */
  binding: string;
  role: string;
  retries?: number;
  seed: number;
}

/** A pod's service account token: groups per namespace, a stable uid. */
export function serviceAccountActor(spec: ServiceAccountSpec): Actor {
  const username = `system:serviceaccount:${spec.namespace}:${spec.name}`;
  return makeActor({
    client: spec.client,
    username,
    uid: uuidFrom(spec.seed, mix32(hashString(username)), 7),
    groups: ["system:serviceaccounts", `system:serviceaccounts:${spec.namespace}`, "system:authenticated"],
    userAgent: spec.userAgent,
    sourceIp: spec.sourceIp,
    authzReason: rbacReason(spec.binding, spec.role, `ServiceAccount "${spec.name}/${spec.namespace}"`),
    apiserver: spec.apiserver,
    retries: spec.retries,
  });
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
