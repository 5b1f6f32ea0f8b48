import { describe, expect, it } from "vitest";
import { resolveClient, schemaEvidence, subjectOf, type ClientTraffic } from "./resolve";

const traffic = (over: Partial<ClientTraffic> = {}): ClientTraffic => ({
  client: "telemetry-agent",
  windowSeconds: 100,
  users: [
    { user: "system:serviceaccount:monitoring:telemetry", groups: ["system:serviceaccounts", "system:serviceaccounts:monitoring"], requests: 900, seconds: 90 },
    { user: "alice", groups: ["dev"], requests: 100, seconds: 10 },
  ],
  shapes: [
    { user: "system:serviceaccount:monitoring:telemetry", verb: "list", resource: "pods", namespace: null, requests: 800 },
    { user: "system:serviceaccount:monitoring:telemetry", verb: "get", resource: "deployments.apps/scale", namespace: "web", requests: 50 },
    { user: "system:serviceaccount:monitoring:telemetry", verb: "get", resource: "/healthz", namespace: null, requests: 50 },
    { user: "alice", verb: "watch", resource: "nodes", namespace: null, requests: 100 },
  ],
  others: [
    { user: "alice", client: "kubectl", requests: 40 },
    { user: "system:serviceaccount:monitoring:telemetry", client: "telemetry-agent", requests: 900 },
  ],
  ...over,
});

describe("a client resolved to APF subjects", () => {
  it("names service accounts as ServiceAccount subjects and other users as User subjects", () => {
    expect(subjectOf("system:serviceaccount:monitoring:telemetry")).toEqual({ kind: "ServiceAccount", namespace: "monitoring", name: "telemetry" });
    expect(subjectOf("alice")).toEqual({ kind: "User", name: "alice" });
    // Not a service account name: too many parts.
    expect(subjectOf("system:serviceaccount:a:b:c")).toEqual({ kind: "User", name: "system:serviceaccount:a:b:c" });
  });

  it("collects the verbs, resources and namespaces a rule must cover, and the schemas that serve them today", () => {
    const r = resolveClient(traffic());
    expect(r.subjects.map((s) => [s.user, s.share])).toEqual([["system:serviceaccount:monitoring:telemetry", 0.9], ["alice", 0.1]]);
    expect(r.verbs).toEqual(["get", "list", "watch"]);
    expect(r.resources).toEqual([{ apiGroup: "", resource: "nodes" }, { apiGroup: "", resource: "pods" }, { apiGroup: "apps", resource: "deployments/scale" }]);
    expect(r.namespaces).toEqual(["web"]);
    expect(r.clusterScope).toBe(true);
    expect(r.nonResourceRequests).toBe(50);
    expect(r.currentSchemas.map((s) => [s.name, s.matchingPrecedence, s.requests])).toEqual([["service-accounts", 9000, 850], ["global-default", 9900, 100]]);
    expect(r.ratePerSecond).toBe(10);
    expect(r.meanLatencySeconds).toBeCloseTo(0.1, 9);
  });

  it("shows what else the same users send: the collateral of throttling them", () => {
    const r = resolveClient(traffic());
    expect(r.collateral).toEqual([{ user: "alice", client: "kubectl", requests: 40 }]);
    expect(r.collateralRequests).toBe(40);
  });

  it("leaves out requests without a user name, which no subject can match", () => {
    const r = resolveClient(traffic({ users: [{ user: "", groups: [], requests: 5, seconds: 1 }] }));
    expect(r.subjects).toEqual([]);
    expect(r.requests).toBe(5);
  });
});

describe("the schemas picked for a client, against the metrics' flow_schema label", () => {
  const current = [
    { name: "service-accounts", matchingPrecedence: 9000, priorityLevel: "workload-low", requests: 10 },
    { name: "global-default", matchingPrecedence: 9900, priorityLevel: "global-default", requests: 1 },
  ];
  it("confirms those the metrics show traffic for, and points out the rest and the schemas of the cluster's own", () => {
    const e = schemaEvidence(current, [
      { name: "service-accounts", dispatchedPerSecond: 18, rejectedPerSecond: 16 },
      { name: "team-a-limits", dispatchedPerSecond: 2, rejectedPerSecond: 0 },
    ]);
    expect(e).toEqual({ seen: [{ name: "service-accounts", dispatchedPerSecond: 18, rejectedPerSecond: 16 }], unseen: ["global-default"], custom: ["team-a-limits"] });
  });
});
