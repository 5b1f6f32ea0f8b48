import { describe, expect, it } from "vitest";
import type { WebhookSpec } from "./config";
import { assessWebhook, excludesKubeSystem, ruleCovers, type WebhookHealth } from "./risk";

const spec = (over: Partial<WebhookSpec> = {}): WebhookSpec => ({
  configuration: "c",
  type: "validating",
  name: "w.example.com",
  failurePolicy: "Fail",
  timeoutSeconds: 10,
  rules: [{ operations: ["CREATE"], apiGroups: [""], resources: ["pods"], scope: "*" }],
  namespaceSelector: { matchLabels: {}, matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] }] },
  objectSelector: null,
  matchConditions: 0,
  ...over,
});
const healthy: WebhookHealth = { callsPerSecond: 5, p99Seconds: 0.02, failedCalls: 0, failOpen: 0 };
const rules = (w: WebhookSpec, h: WebhookHealth | null = healthy) => assessWebhook(w, h).map((f) => `${f.severity}:${f.rule}`);

describe("webhook blast radius", () => {
  it("flags failurePolicy Fail on pods in all namespaces", () => {
    expect(rules(spec({ namespaceSelector: null }))).toEqual(["critical:kube_system", "warning:no_selector"]);
  });

  it("has nothing to say about a narrow, healthy webhook that leaves kube-system alone", () => {
    expect(rules(spec())).toEqual([]);
  });

  it("escalates failurePolicy Fail when the metrics show a slow or failing webhook", () => {
    const slow = assessWebhook(spec(), { ...healthy, p99Seconds: 6.2 });
    expect(slow[0]).toMatchObject({ rule: "fail_closed_unhealthy", severity: "critical" });
    expect(slow[0]!.text).toContain("p99 is 6.20 s against a 10 s timeout");
    expect(rules(spec(), { ...healthy, failedCalls: 12 })).toEqual(["critical:fail_closed_unhealthy"]);
    // The same webhook failing open only risks its own checks.
    expect(rules(spec({ failurePolicy: "Ignore" }), { ...healthy, p99Seconds: 9 })).toEqual([]);
    // Without metrics, nothing is claimed about its health.
    expect(rules(spec(), null)).toEqual([]);
  });

  it("flags long timeouts, catch-all rules, leases and nodes", () => {
    expect(rules(spec({ timeoutSeconds: 30 }))).toEqual(["warning:timeout_high"]);
    const all = spec({ rules: [{ operations: ["*"], apiGroups: ["*"], resources: ["*/*"], scope: "*" }] });
    expect(rules(all)).toEqual(["critical:all_resources", "critical:leases", "critical:nodes"]);
    expect(rules({ ...all, failurePolicy: "Ignore" })).toEqual(["warning:all_resources", "warning:leases", "warning:nodes"]);
    expect(rules(spec({ rules: [{ operations: ["UPDATE"], apiGroups: [""], resources: ["nodes/status"], scope: "*" }] }))).toEqual(["critical:nodes"]);
  });

  it("knows which selectors keep kube-system out", () => {
    expect(excludesKubeSystem(null)).toBe(false);
    expect(excludesKubeSystem({ matchLabels: { "webhook-enabled": "true" }, matchExpressions: [] })).toBe(true);
    expect(excludesKubeSystem({ matchLabels: {}, matchExpressions: [{ key: "env", operator: "NotIn", values: ["dev"] }] })).toBe(false);
    expect(excludesKubeSystem({ matchLabels: {}, matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "x"] }] })).toBe(true);
  });

  it("matches rules by group and resource, subresources included", () => {
    const rule = { operations: ["*"], apiGroups: ["coordination.k8s.io"], resources: ["leases"], scope: "*" };
    expect(ruleCovers(rule, "coordination.k8s.io", "leases")).toBe(true);
    expect(ruleCovers(rule, "", "leases")).toBe(false);
    expect(ruleCovers({ ...rule, apiGroups: [""], resources: ["pods/*"] }, "", "pods")).toBe(true);
  });
});
