import { describe, expect, it } from "vitest";
import type { SubjectRef } from "./generate";
import { AUTOUPDATE_NOTE, checkThrottle, type GuardInput } from "./guard";

const serviceAccounts = [{ name: "service-accounts", matchingPrecedence: 9000, priorityLevel: "workload-low" }];
const check = (subjects: SubjectRef[], over: Partial<GuardInput> = {}) =>
  checkThrottle({ subjects, currentSchemas: serviceAccounts, ...over });
const rules = (findings: Array<{ rule: string }>) => findings.map((f) => f.rule);

describe("throttle guard rails", () => {
  it("let an ordinary service account through, with the autoupdate note", () => {
    const result = check([{ kind: "ServiceAccount", namespace: "monitoring", name: "telemetry-agent" }]);
    expect(result).toEqual({ allowed: true, refusals: [], warnings: [], notes: [AUTOUPDATE_NOTE] });
    expect(AUTOUPDATE_NOTE).toContain('apf.kubernetes.io/autoupdate-spec is "true"');
    expect(AUTOUPDATE_NOTE).toContain('"false"');
  });

  it("refuse many node identities in one line, not one line per node", () => {
    const nodes: SubjectRef[] = Array.from({ length: 300 }, (_, i) => ({ kind: "User", name: `system:node:node-${i}` }));
    const result = check(nodes, { currentSchemas: [{ name: "system-node-high", matchingPrecedence: 400, priorityLevel: "node-high" }] });
    expect(result.allowed).toBe(false);
    expect(result.refusals.map((r) => r.text)).toEqual([
      "300 node identities (User system:node:node-*): kubelets; throttled node heartbeats and status updates turn nodes NotReady",
      "system-node-high serves this traffic today: it keeps the cluster running",
    ]);
    // Three are still named one by one.
    expect(check(nodes.slice(0, 3)).refusals).toHaveLength(3);
  });

  it("refuse the subjects the cluster runs on", () => {
    const cases: Array<[SubjectRef, string]> = [
      [{ kind: "Group", name: "system:masters" }, "system_masters"],
      [{ kind: "Group", name: "system:nodes" }, "nodes"],
      [{ kind: "User", name: "system:node:ip-10-0-0-1" }, "nodes"],
      [{ kind: "ServiceAccount", namespace: "kube-system", name: "coredns" }, "kube_system"],
      [{ kind: "ServiceAccount", namespace: "kube-system", name: "*" }, "kube_system"],
      [{ kind: "User", name: "system:kube-controller-manager" }, "control_plane"],
      [{ kind: "User", name: "system:kube-scheduler" }, "control_plane"],
    ];
    for (const [subject, rule] of cases) {
      const result = check([subject]);
      expect(result.allowed, rule).toBe(false);
      expect(rules(result.refusals)).toEqual([rule]);
      expect(result.refusals[0]!.overridable).toBe(true);
      expect(check([subject], { override: true }).allowed).toBe(true);
    }
    expect(check([{ kind: "User", name: "system:nodes-exporter" }]).allowed).toBe(true);
  });

  it("refuse traffic served by the leader-election and other system schemas, unless overridden", () => {
    const sa: SubjectRef = { kind: "ServiceAccount", namespace: "ops", name: "elector" };
    const leaderElection = { name: "system-leader-election", matchingPrecedence: 100 };
    const result = check([sa], { currentSchemas: [leaderElection, ...serviceAccounts] });
    expect(result.allowed).toBe(false);
    expect(rules(result.refusals)).toEqual(["system_schema"]);
    expect(check([sa], { currentSchemas: [leaderElection], override: true }).allowed).toBe(true);
  });

  it("refuse exempt traffic outright: no schema can come before it", () => {
    const user: SubjectRef = { kind: "User", name: "prober" };
    for (const current of [
      { name: "exempt", matchingPrecedence: 1 },
      { name: "probes", matchingPrecedence: 2 },
      { name: "custom-exempt", matchingPrecedence: 50, priorityLevel: "exempt" },
    ]) {
      const result = check([user], { currentSchemas: [current], override: true });
      expect(result.allowed, current.name).toBe(false);
      expect(result.refusals).toEqual([expect.objectContaining({ rule: "exempt", overridable: false })]);
    }
  });

  it("warn about subjects that would capture everyone", () => {
    const wide: SubjectRef[] = [
      { kind: "Group", name: "system:authenticated" },
      { kind: "Group", name: "system:serviceaccounts" },
      { kind: "Group", name: "system:serviceaccounts:team-a" },
      { kind: "Group", name: "*" },
      { kind: "User", name: "*" },
      { kind: "ServiceAccount", namespace: "team-a", name: "*" },
    ];
    const result = check(wide, { maxSubjects: 10 });
    expect(result.allowed).toBe(true);
    expect(rules(result.warnings)).toEqual(Array(6).fill("broad_subject"));
    expect(result.warnings[5]!.text).toContain("every service account in namespace team-a");
  });

  it("warn when the traffic is spread over many subjects", () => {
    const users = Array.from({ length: 6 }, (_, i): SubjectRef => ({ kind: "User", name: `u${i}` }));
    expect(rules(check(users).warnings)).toEqual(["many_subjects"]);
    expect(rules(check(users.slice(0, 5)).warnings)).toEqual([]);
    expect(rules(check(users.slice(0, 1), { observedSubjects: 40 }).warnings)).toEqual(["many_subjects"]);
    expect(check(users, { maxSubjects: 6 }).warnings).toEqual([]);
  });
});
