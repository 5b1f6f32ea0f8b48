import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOOTSTRAP_FLOW_SCHEMAS, BOOTSTRAP_PRIORITY_LEVELS, DEFAULT_SERVER_LIMIT } from "./bootstrap";
import { nominalSeats } from "./seats";
import type { PolicyRulesWithSubjects, Subject } from "./types";

interface FixtureLevel {
  name: string;
  mandatory: boolean;
  type: string;
  nominalConcurrencyShares: number;
  lendablePercent: number;
  limitResponse?: unknown;
  nominalSeatsAt600: number;
}
interface FixtureSchema {
  name: string;
  mandatory: boolean;
  matchingPrecedence: number;
  priorityLevel: string;
  distinguisherMethod: string | null;
  subjects: string[];
  rules: string;
}
const fixture = parse(readFileSync(path.join(import.meta.dirname, "../../test/fixtures/apf/apf-bootstrap-defaults.yaml"), "utf8")) as {
  apiVersion: string;
  serverConcurrencyLimitDefault: number;
  priorityLevelConfigurations: FixtureLevel[];
  flowSchemas: FixtureSchema[];
};

// The fixture spells subjects as kind:name.
function subjectText(s: Subject): string {
  if (s.kind === "User") return `user:${s.user.name}`;
  if (s.kind === "Group") return `group:${s.group.name}`;
  return `serviceaccount:${s.serviceAccount.namespace}/${s.serviceAccount.name}`;
}

const everything: Omit<PolicyRulesWithSubjects, "subjects"> = {
  resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"] }],
  nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
};
// The fixture describes rules in words; each description read as default.go writes the rule.
const RULES_BY_DESCRIPTION: Record<string, Omit<PolicyRulesWithSubjects, "subjects">> = {
  "all verbs, all API groups/resources, all namespaces + cluster scope; all non-resource URLs": everything,
  "everything (resource + non-resource)": everything,
  "non-resource GET /healthz, /readyz, /livez": {
    nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/readyz", "/livez"] }],
  },
  "get/create/update coordination.k8s.io leases, all namespaces (not cluster scope)": {
    resourceRules: [
      {
        verbs: ["get", "create", "update"],
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        clusterScope: false,
        namespaces: ["*"],
      },
    ],
  },
  "all verbs on core nodes, nodes/status (cluster scope); all verbs on coordination.k8s.io leases (namespaced)": {
    resourceRules: [
      { verbs: ["*"], apiGroups: [""], resources: ["nodes", "nodes/status"], clusterScope: true, namespaces: ["*"] },
      { verbs: ["*"], apiGroups: ["coordination.k8s.io"], resources: ["leases"], clusterScope: false, namespaces: ["*"] },
    ],
  },
};

describe("APF bootstrap defaults", () => {
  it("are the fixture's priority levels", () => {
    expect(fixture.apiVersion).toBe("flowcontrol.apiserver.k8s.io/v1");
    expect(BOOTSTRAP_PRIORITY_LEVELS).toEqual(fixture.priorityLevelConfigurations.map(({ nominalSeatsAt600: _, ...level }) => level));
  });

  it("give the fixture's nominal seats at the default server limit", () => {
    expect(DEFAULT_SERVER_LIMIT).toBe(fixture.serverConcurrencyLimitDefault);
    const seats = nominalSeats(BOOTSTRAP_PRIORITY_LEVELS, DEFAULT_SERVER_LIMIT);
    const expected = fixture.priorityLevelConfigurations.map((l) => [l.name, l.nominalSeatsAt600]);
    expect(Object.fromEntries(seats)).toEqual(Object.fromEntries(expected));
  });

  it("are the fixture's flow schemas, in matching order", () => {
    const summary = BOOTSTRAP_FLOW_SCHEMAS.map((s) => ({
      name: s.name,
      mandatory: s.mandatory,
      matchingPrecedence: s.matchingPrecedence,
      priorityLevel: s.priorityLevel,
      distinguisherMethod: s.distinguisher,
      subjects: s.rules.flatMap((r) => r.subjects.map(subjectText)),
    }));
    expect(summary).toEqual(fixture.flowSchemas.map(({ rules: _, ...s }) => s));
    const order = [...BOOTSTRAP_FLOW_SCHEMAS].sort((a, b) => a.matchingPrecedence - b.matchingPrecedence || a.name.localeCompare(b.name));
    expect(order.map((s) => s.name)).toEqual(BOOTSTRAP_FLOW_SCHEMAS.map((s) => s.name));
  });

  it("have the rules the fixture describes", () => {
    for (const [i, described] of fixture.flowSchemas.entries()) {
      const expected = RULES_BY_DESCRIPTION[described.rules];
      expect(expected, `no reading of "${described.rules}"`).toBeDefined();
      const { subjects: _, ...rules } = BOOTSTRAP_FLOW_SCHEMAS[i]!.rules[0]!;
      expect(BOOTSTRAP_FLOW_SCHEMAS[i]!.rules).toHaveLength(1);
      expect(rules, described.name).toEqual(expected);
    }
  });

  it("reference only priority levels that exist", () => {
    const levels = new Set(BOOTSTRAP_PRIORITY_LEVELS.map((l) => l.name));
    for (const s of BOOTSTRAP_FLOW_SCHEMAS) expect(levels.has(s.priorityLevel), s.name).toBe(true);
  });
});
