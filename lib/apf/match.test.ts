import { describe, expect, it } from "vitest";
import { BOOTSTRAP_FLOW_SCHEMAS } from "./bootstrap";
import { effectiveGroups, matchFlowSchema, schemaMatches, serviceAccountNamespace, type ApfRequest } from "./match";
import type { FlowSchemaSummary, Subject } from "./types";

const request = (over: Partial<ApfRequest>): ApfRequest => ({
  user: "alice",
  groups: [],
  verb: "get",
  apiGroup: "",
  resource: "pods",
  namespace: "default",
  ...over,
});
const winner = (over: Partial<ApfRequest>) => matchFlowSchema(BOOTSTRAP_FLOW_SCHEMAS, request(over));

describe("flow schema matching against the defaults", () => {
  it("sends a service account listing pods cluster-wide to service-accounts (workload-low)", () => {
    const fs = winner({ user: "system:serviceaccount:monitoring:telemetry-agent", verb: "list", namespace: null });
    expect(fs).toMatchObject({ name: "service-accounts", matchingPrecedence: 9000, priorityLevel: "workload-low" });
  });

  it("sends kube-system service accounts to kube-system-service-accounts, except their leader-election leases", () => {
    const sa = "system:serviceaccount:kube-system:generic-garbage-collector";
    expect(winner({ user: sa, verb: "list", namespace: null })?.name).toBe("kube-system-service-accounts");
    const lease = { user: sa, verb: "update", apiGroup: "coordination.k8s.io", resource: "leases", namespace: "kube-system" };
    expect(winner(lease)?.name).toBe("system-leader-election");
    expect(winner({ ...lease, verb: "delete" })?.name).toBe("kube-system-service-accounts");
  });

  it("sends a node's status updates to system-node-high and its other calls to system-nodes", () => {
    const node = { user: "system:node:n1", groups: ["system:nodes"] };
    expect(winner({ ...node, verb: "patch", resource: "nodes/status", namespace: null })).toMatchObject({
      name: "system-node-high",
      priorityLevel: "node-high",
    });
    const heartbeat = { verb: "update", apiGroup: "coordination.k8s.io", resource: "leases", namespace: "kube-node-lease" };
    expect(winner({ ...node, ...heartbeat })?.name).toBe("system-node-high");
    expect(winner({ ...node, verb: "get", resource: "pods/status" })?.name).toBe("system-nodes");
  });

  it("sends a plain user to global-default and system:masters to exempt", () => {
    expect(winner({ user: "alice", groups: ["developers"] })?.name).toBe("global-default");
    const admin = winner({ user: "admin", groups: ["system:masters"], verb: "delete" });
    expect(admin).toMatchObject({ name: "exempt", priorityLevel: "exempt" });
  });

  it("sends the controller manager and scheduler to their schemas, their leases to leader election", () => {
    expect(winner({ user: "system:kube-controller-manager", verb: "list", apiGroup: "apps", resource: "replicasets" })?.name).toBe(
      "kube-controller-manager",
    );
    expect(winner({ user: "system:kube-scheduler", verb: "create", resource: "pods/binding" })?.name).toBe("kube-scheduler");
    const lease = { verb: "get", apiGroup: "coordination.k8s.io", resource: "leases", namespace: "kube-system" };
    expect(winner({ user: "system:kube-controller-manager", ...lease })?.name).toBe("system-leader-election");
  });

  it("exempts health probes, from anyone, and prefix-matches their subpaths", () => {
    expect(winner({ user: "system:anonymous", verb: "get", nonResourceURL: "/readyz" })?.name).toBe("probes");
    expect(winner({ user: "alice", verb: "get", nonResourceURL: "/healthz/etcd" })?.name).toBe("probes");
    expect(winner({ user: "alice", verb: "get", nonResourceURL: "/healthzz" })?.name).toBe("global-default");
    expect(winner({ user: "alice", verb: "post", nonResourceURL: "/livez" })?.name).toBe("global-default");
    expect(winner({ user: "alice", verb: "get", nonResourceURL: "/metrics" })?.name).toBe("global-default");
  });
});

describe("matching rules", () => {
  const schema = (name: string, matchingPrecedence: number, rules: FlowSchemaSummary["rules"]): FlowSchemaSummary => ({
    name,
    matchingPrecedence,
    priorityLevel: "x",
    distinguisher: "ByUser",
    rules,
  });
  const everyone = [{ kind: "Group" as const, group: { name: "*" } }];
  const anyPod = [{ verbs: ["*"], apiGroups: [""], resources: ["pods"], namespaces: ["*"] }];

  it("breaks precedence ties by name", () => {
    const pods = (name: string, precedence: number) => schema(name, precedence, [{ subjects: everyone, resourceRules: anyPod }]);
    const schemas = [pods("zeta", 500), pods("alpha", 500)];
    expect(matchFlowSchema(schemas, request({}))?.name).toBe("alpha");
    expect(matchFlowSchema([...schemas, pods("first", 499)], request({}))?.name).toBe("first");
  });

  it("matches service accounts by namespace and name, and by their implied groups", () => {
    const sa = "system:serviceaccount:team-a:builder";
    expect(serviceAccountNamespace(sa)).toBe("team-a");
    expect(serviceAccountNamespace("system:serviceaccount:nonamespace")).toBeNull();
    expect(effectiveGroups(sa, [])).toEqual(["system:authenticated", "system:serviceaccounts", "system:serviceaccounts:team-a"]);
    expect(effectiveGroups("system:anonymous", [])).toEqual(["system:unauthenticated"]);
    const rule = (subject: Subject) => schema("s", 10, [{ subjects: [subject], resourceRules: anyPod }]);
    const req = request({ user: sa });
    expect(schemaMatches(rule({ kind: "ServiceAccount", serviceAccount: { namespace: "team-a", name: "builder" } }), req)).toBe(true);
    expect(schemaMatches(rule({ kind: "ServiceAccount", serviceAccount: { namespace: "team-a", name: "*" } }), req)).toBe(true);
    expect(schemaMatches(rule({ kind: "ServiceAccount", serviceAccount: { namespace: "team", name: "*" } }), req)).toBe(false);
    expect(schemaMatches(rule({ kind: "ServiceAccount", serviceAccount: { namespace: "team-a", name: "build" } }), req)).toBe(false);
    expect(schemaMatches(rule({ kind: "Group", group: { name: "system:serviceaccounts:team-a" } }), req)).toBe(true);
    expect(schemaMatches(rule({ kind: "User", user: { name: "*" } }), req)).toBe(true);
    expect(schemaMatches(rule({ kind: "User", user: { name: "builder" } }), req)).toBe(false);
  });

  it("tells cluster-scoped from namespaced requests, and subresources from resources", () => {
    const namespaced = schema("n", 10, [
      { subjects: everyone, resourceRules: [{ verbs: ["list"], apiGroups: [""], resources: ["pods"], namespaces: ["a"] }] },
    ]);
    expect(schemaMatches(namespaced, request({ verb: "list", namespace: "a" }))).toBe(true);
    expect(schemaMatches(namespaced, request({ verb: "list", namespace: "b" }))).toBe(false);
    expect(schemaMatches(namespaced, request({ verb: "list", namespace: null }))).toBe(false);
    expect(schemaMatches(namespaced, request({ verb: "list", namespace: "a", resource: "pods/status" }))).toBe(false);
    expect(schemaMatches(namespaced, request({ verb: "watch", namespace: "a" }))).toBe(false);
    const cluster = schema("c", 10, [
      { subjects: everyone, resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true }] },
    ]);
    expect(schemaMatches(cluster, request({ namespace: null }))).toBe(true);
    expect(schemaMatches(cluster, request({ namespace: "a" }))).toBe(false);
    // A resource request never matches a rule with only non-resource rules, and the other way round.
    const urls = schema("u", 10, [{ subjects: everyone, nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["/apis/*"] }] }]);
    expect(schemaMatches(urls, request({ nonResourceURL: "/apis/apps" }))).toBe(true);
    expect(schemaMatches(urls, request({ nonResourceURL: "/api" }))).toBe(false);
    expect(schemaMatches(urls, request({}))).toBe(false);
    expect(schemaMatches(cluster, request({ nonResourceURL: "/apis" }))).toBe(false);
  });

  it("returns null when nothing matches", () => {
    expect(matchFlowSchema([], request({}))).toBeNull();
  });
});
