import { describe, expect, it } from "vitest";
import { parseWebhookConfigurations } from "./config";

const VALIDATING = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: policy
webhooks:
  - name: policy.example.com
    rules:
      - operations: ["CREATE", "UPDATE"]
        apiGroups: [""]
        apiVersions: ["v1"]
        resources: ["pods"]
    clientConfig:
      service: { name: policy, namespace: policy-system }
    admissionReviewVersions: ["v1"]
    sideEffects: None
`;

describe("webhook configurations", () => {
  it("reads a v1 configuration with the API server's defaults", () => {
    const { webhooks, problems } = parseWebhookConfigurations(VALIDATING);
    expect(problems).toEqual([]);
    expect(webhooks).toEqual([
      {
        configuration: "policy",
        type: "validating",
        name: "policy.example.com",
        failurePolicy: "Fail",
        timeoutSeconds: 10,
        rules: [{ operations: ["CREATE", "UPDATE"], apiGroups: [""], resources: ["pods"], scope: "*" }],
        namespaceSelector: null,
        objectSelector: null,
        matchConditions: 0,
      },
    ]);
  });

  it("reads several documents, Lists, JSON and v1beta1 defaults", () => {
    const mutating = {
      apiVersion: "admissionregistration.k8s.io/v1beta1",
      kind: "MutatingWebhookConfiguration",
      metadata: { name: "sidecar" },
      webhooks: [{ name: "inject.example.com", namespaceSelector: { matchLabels: { inject: "true" } } }],
    };
    const text = `${VALIDATING}\n---\n${JSON.stringify({ apiVersion: "v1", kind: "List", items: [mutating] })}\n`;
    const { webhooks, problems } = parseWebhookConfigurations(text);
    expect(problems).toEqual([]);
    expect(webhooks.map((w) => [w.name, w.type, w.failurePolicy, w.timeoutSeconds])).toEqual([
      ["policy.example.com", "validating", "Fail", 10],
      ["inject.example.com", "mutating", "Ignore", 30],
    ]);
    expect(webhooks[1]!.namespaceSelector).toEqual({ matchLabels: { inject: "true" }, matchExpressions: [] });
  });

  it("says what it could not read and keeps the rest", () => {
    const text = `${VALIDATING}\n---\nkind: Deployment\napiVersion: apps/v1\n---\nkind: [unclosed\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nwebhooks:\n  - name: x\n    timeoutSeconds: 99\n`;
    const { webhooks, problems } = parseWebhookConfigurations(text);
    expect(webhooks.map((w) => w.name)).toEqual(["policy.example.com"]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe("document 2: a Deployment, not a webhook configuration");
    expect(problems[1]).toMatch(/^document 3: not valid YAML/);
    expect(problems[2]).toMatch(/^document 4: webhooks\.0\.timeoutSeconds: /);
  });

  it("says so when there is no webhook configuration at all", () => {
    expect(parseWebhookConfigurations("").problems).toEqual(["no ValidatingWebhookConfiguration or MutatingWebhookConfiguration found"]);
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    const { webhooks, problems } = parseWebhookConfigurations(bomb);
    expect(webhooks).toEqual([]);
    expect(problems).toHaveLength(1);
  });
});
