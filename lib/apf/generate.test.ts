import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { CULPRIT_ANNOTATION, MANAGED_BY_LABEL, throttlePlan, throttlePrecedence, type ThrottleInput } from "./generate";
import { isDns1123Subdomain, objectName, shellQuote, shortHash, slug } from "../export/names";
import { quoteYamlString } from "../export/yaml";

const telemetry: ThrottleInput = {
  culprit: "telemetry-agent/v2.3.1 (linux/amd64)",
  subjects: [{ kind: "ServiceAccount", namespace: "monitoring", name: "telemetry-agent" }],
  verbs: ["list", "watch"],
  resources: [
    { apiGroup: "", resource: "pods" },
    { apiGroup: "", resource: "nodes" },
    { apiGroup: "apps", resource: "deployments" },
  ],
  namespaces: "*",
  clusterScope: true,
  currentSchemas: [{ name: "service-accounts", matchingPrecedence: 9000 }],
};

const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => ("toJS" in d ? d.toJS() : null));

describe("throttle plan", () => {
  it("writes a Limited level and a FlowSchema placed just ahead of today's schema", () => {
    const plan = throttlePlan(telemetry);
    expect(plan.name).toBe("apiscope-throttle-telemetry-agent-v2.3.1-linux-amd64");
    expect(plan.priorityLevel).toEqual({
      apiVersion: "flowcontrol.apiserver.k8s.io/v1",
      kind: "PriorityLevelConfiguration",
      metadata: {
        name: plan.name,
        labels: { [MANAGED_BY_LABEL]: "apiscope" },
        annotations: { [CULPRIT_ANNOTATION]: telemetry.culprit },
      },
      spec: {
        type: "Limited",
        limited: {
          nominalConcurrencyShares: 5,
          lendablePercent: 0,
          borrowingLimitPercent: 0,
          limitResponse: { type: "Queue", queuing: { queues: 16, handSize: 4, queueLengthLimit: 50 } },
        },
      },
    });
    expect(plan.flowSchema.spec).toEqual({
      priorityLevelConfiguration: { name: plan.name },
      matchingPrecedence: 8999,
      distinguisherMethod: { type: "ByUser" },
      rules: [
        {
          subjects: [{ kind: "ServiceAccount", serviceAccount: { namespace: "monitoring", name: "telemetry-agent" } }],
          // One rule per API group, so apps/pods or core/deployments are not matched by accident.
          resourceRules: [
            { verbs: ["list", "watch"], apiGroups: [""], resources: ["pods", "nodes"], clusterScope: true, namespaces: ["*"] },
            { verbs: ["list", "watch"], apiGroups: ["apps"], resources: ["deployments"], clusterScope: true, namespaces: ["*"] },
          ],
        },
      ],
    });
    expect(plan.flowSchema.metadata).toEqual(plan.priorityLevel.metadata);
    expect(plan.notes).toEqual([]);
  });

  it("emits the priority level first and round-trips through YAML", () => {
    const plan = throttlePlan(telemetry);
    expect(docs(plan.yaml)).toEqual([plan.priorityLevel, plan.flowSchema]);
    expect(plan.yaml.indexOf("kind: \"PriorityLevelConfiguration\"")).toBeLessThan(plan.yaml.indexOf("kind: \"FlowSchema\""));
    expect(plan.yaml).not.toMatch(/[&*]a\d/); // no anchors or aliases for repeated lists
  });

  it("gives apply and rollback commands", () => {
    const plan = throttlePlan(telemetry);
    expect(plan.applyCommand).toBe(`kubectl apply -f '${plan.name}.yaml'`);
    expect(plan.rollbackCommand).toBe(
      `kubectl delete flowschema '${plan.name}' && kubectl delete prioritylevelconfiguration '${plan.name}'`,
    );
    expect(throttlePlan({ ...telemetry, file: "it's here.yaml" }).applyCommand).toBe(`kubectl apply -f 'it'\\''s here.yaml'`);
  });

  it("supports Reject, other queuing, shares and namespaces", () => {
    const plan = throttlePlan({
      ...telemetry,
      mode: "Reject",
      shares: 2,
      namespaces: ["a", "b", "a"],
      clusterScope: false,
      verbs: ["get", "*"],
    });
    expect(plan.priorityLevel.spec.limited).toMatchObject({ nominalConcurrencyShares: 2, limitResponse: { type: "Reject" } });
    expect(plan.flowSchema.spec.rules[0]!.resourceRules[0]).toEqual({
      verbs: ["*"],
      apiGroups: [""],
      resources: ["pods", "nodes"],
      clusterScope: false,
      namespaces: ["a", "b"],
    });
    const queued = throttlePlan({ ...telemetry, queuing: { queues: 64, handSize: 8 } });
    expect(queued.priorityLevel.spec.limited.limitResponse).toEqual({
      type: "Queue",
      queuing: { queues: 64, handSize: 8, queueLengthLimit: 50 },
    });
    const clusterOnly = throttlePlan({ ...telemetry, namespaces: [], clusterScope: true });
    expect(clusterOnly.flowSchema.spec.rules[0]!.resourceRules[0]).not.toHaveProperty("namespaces");
  });

  it("folds every API group into one rule when one of them is the wildcard", () => {
    const plan = throttlePlan({ ...telemetry, resources: [{ apiGroup: "*", resource: "*" }, { apiGroup: "", resource: "pods" }] });
    expect(plan.flowSchema.spec.rules[0]!.resourceRules).toEqual([
      { verbs: ["list", "watch"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"] },
    ]);
  });

  it("writes v1beta3 with the same fields", () => {
    const plan = throttlePlan({ ...telemetry, apiVersion: "v1beta3" });
    expect(plan.priorityLevel.apiVersion).toBe("flowcontrol.apiserver.k8s.io/v1beta3");
    expect(plan.flowSchema.apiVersion).toBe("flowcontrol.apiserver.k8s.io/v1beta3");
    expect(plan.priorityLevel.spec.limited.nominalConcurrencyShares).toBe(5);
    expect(plan.notes.join(" ")).toContain("1.26 to 1.31");
  });

  it("refuses input the API server would reject", () => {
    expect(() => throttlePlan({ ...telemetry, subjects: [] })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, verbs: [] })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, resources: [] })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, namespaces: [], clusterScope: false })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, currentSchemas: [] })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, shares: 0 })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, shares: 2.5 })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, queuing: { queues: 4, handSize: 5 } })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, queuing: { queues: 1024, handSize: 7 } })).toThrow(/too large/);
    expect(() => throttlePlan({ ...telemetry, name: "Not_A_Name" })).toThrow(RangeError);
    expect(() => throttlePlan({ ...telemetry, subjects: [{ kind: "User", name: "" }] })).toThrow(RangeError);
    expect(throttlePlan({ ...telemetry, name: "my-throttle" }).name).toBe("my-throttle");
  });
});

describe("throttle precedence", () => {
  it("is one ahead of the lowest schema serving the traffic", () => {
    expect(throttlePrecedence([{ matchingPrecedence: 9000 }, { matchingPrecedence: 9900 }])).toBe(8999);
    expect(throttlePrecedence([{ matchingPrecedence: 800 }])).toBe(799);
  });

  it("never reaches exempt (1) or probes (2)", () => {
    expect(throttlePrecedence([{ matchingPrecedence: 4 }])).toBe(3);
    expect(throttlePrecedence([{ matchingPrecedence: 3 }])).toBe(3);
    expect(throttlePrecedence([{ matchingPrecedence: 1 }])).toBe(3);
    const plan = throttlePlan({ ...telemetry, currentSchemas: [{ name: "custom", matchingPrecedence: 3 }] });
    expect(plan.notes.join(" ")).toContain("may still win");
  });
});

describe("object names", () => {
  it("slug the display name into a DNS-1123 subdomain", () => {
    expect(slug("Kubectl/v1.13.2 (darwin/amd64) kubernetes/fc32d2f")).toBe("kubectl-v1.13.2-darwin-amd64-kubernetes-fc32d2f");
    expect(slug("..a..b.-c-.d--")).toBe("a-b-c-d");
    expect(slug("Grüße-Agent")).toBe("gru-e-agent"); // ü loses its diaeresis; ß has no ASCII form
    expect(slug("<img src=x onerror=alert(1)>")).toBe("img-src-x-onerror-alert-1");
    expect(objectName("Prometheus/2.45", "apiscope-throttle")).toBe("apiscope-throttle-prometheus-2.45");
  });

  it("fall back to a stable hash when nothing usable is left", () => {
    const name = objectName("エージェント", "apiscope-throttle");
    expect(name).toBe(`apiscope-throttle-${shortHash("エージェント")}`);
    expect(name).toMatch(/^apiscope-throttle-[0-9a-f]{8}$/);
    expect(objectName("エージェント", "apiscope-throttle")).toBe(name);
    expect(objectName("!!!", "apiscope-throttle")).not.toBe(objectName("???", "apiscope-throttle"));
    expect(shortHash("")).toBe("811c9dc5");
  });

  it("cut long names to 253 characters and keep them apart", () => {
    const a = objectName("a".repeat(10_000), "apiscope-throttle");
    const b = objectName(`${"a".repeat(9_999)}b`, "apiscope-throttle");
    expect(a.length).toBeLessThanOrEqual(253);
    expect(isDns1123Subdomain(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(isDns1123Subdomain(objectName(`${"a.".repeat(300)}`, "apiscope-throttle"))).toBe(true);
  });

  it("are checked as DNS-1123 subdomains", () => {
    expect(isDns1123Subdomain("a.b-c")).toBe(true);
    for (const bad of ["", "-a", "a-", "a..b", "a.-b", "A", "a_b", "a".repeat(254)]) expect(isDns1123Subdomain(bad), bad).toBe(false);
  });
});

describe("quoting", () => {
  it("quotes shell words so that nothing in them is interpreted", () => {
    expect(shellQuote("plain")).toBe("'plain'");
    expect(shellQuote("a'b; rm -rf /")).toBe("'a'\\''b; rm -rf /'");
  });

  it("writes YAML strings in printable ASCII", () => {
    expect(quoteYamlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteYamlString("line\nbreak\ttab")).toBe('"line\\nbreak\\ttab"');
    expect(quoteYamlString("\u0085\u2028\u202e\uFEFF é 😀")).toBe('"\\u0085\\u2028\\u202E\\uFEFF \\u00E9 \\U0001F600"');
  });
});
