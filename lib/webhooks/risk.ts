// Blast-radius rules for admission webhooks: settings that turn a slow or failing webhook into a control-plane
// outage, judged from the configuration and, when Prometheus has them, the webhook's own metrics.
import type { LabelSelector, WebhookRule, WebhookSpec } from "./config";

/** What the metrics say about one webhook over the window (from apiserver_admission_webhook_*). */
export interface WebhookHealth {
  callsPerSecond: number;
  p99Seconds: number | null;
  /** Calls that failed (rejections with error_type calling_webhook_error, or non-2xx answers). */
  failedCalls: number;
  failOpen: number;
}

export type Severity = "critical" | "warning";

export interface Finding {
  rule: "fail_closed_unhealthy" | "timeout_high" | "all_resources" | "leases" | "nodes" | "kube_system" | "no_selector";
  severity: Severity;
  text: string;
  advice: string;
}

/** A p99 above this share of the webhook's timeout is close to failing requests. */
const SLOW_SHARE_OF_TIMEOUT = 0.5;
const DEFAULT_TIMEOUT_SECONDS = 10;

const matches = (values: string[], value: string) => values.includes("*") || values.includes(value);

/** Whether a rule intercepts a resource (any of its subresources counts) in an API group. */
export function ruleCovers(rule: WebhookRule, group: string, resource: string): boolean {
  if (!matches(rule.apiGroups, group)) return false;
  return rule.resources.some((r) => r === "*" || r === "*/*" || r === resource || r.startsWith(`${resource}/`));
}

const covers = (w: WebhookSpec, group: string, resource: string) => w.rules.some((r) => ruleCovers(r, group, resource));

/**
 * Whether kube-system stays out: an opt-in selector (labels or In/Exists) leaves out namespaces without the label;
 * an opt-out one must name kube-system.
 */
export function excludesKubeSystem(selector: LabelSelector | null): boolean {
  if (!selector) return false;
  if (Object.keys(selector.matchLabels).length > 0) return true;
  return selector.matchExpressions.some(
    (e) =>
      e.operator === "In" ||
      e.operator === "Exists" ||
      (e.operator === "NotIn" && e.key === "kubernetes.io/metadata.name" && e.values.includes("kube-system")) ||
      (e.operator === "DoesNotExist" && e.key === "control-plane"),
  );
}

export function assessWebhook(w: WebhookSpec, health: WebhookHealth | null): Finding[] {
  const out: Finding[] = [];
  const failClosed = w.failurePolicy === "Fail";
  if (failClosed && health) {
    const slow = health.p99Seconds !== null && health.p99Seconds >= SLOW_SHARE_OF_TIMEOUT * w.timeoutSeconds;
    if (slow || health.failedCalls > 0) {
      const why = [
        slow ? `its p99 is ${health.p99Seconds!.toFixed(2)} s against a ${w.timeoutSeconds} s timeout` : "",
        health.failedCalls > 0 ? `${Math.round(health.failedCalls).toLocaleString("en-US")} calls failed` : "",
      ].filter(Boolean);
      out.push({
        rule: "fail_closed_unhealthy",
        severity: "critical",
        text: `failurePolicy Fail on a webhook in trouble: ${why.join(", ")}`,
        advice: "Every request it intercepts fails when it does. Fix or scale the webhook; meanwhile consider failurePolicy Ignore or narrowing its rules.",
      });
    }
  }
  if (w.timeoutSeconds > DEFAULT_TIMEOUT_SECONDS) {
    out.push({
      rule: "timeout_high",
      severity: "warning",
      text: `timeoutSeconds ${w.timeoutSeconds}: each intercepted request can wait that long`,
      advice: "Keep webhook timeouts short (a few seconds): a hanging webhook holds API-server requests and their APF seats until it gives up.",
    });
  }
  if (w.rules.some((r) => r.resources.includes("*") || r.resources.includes("*/*"))) {
    out.push({
      rule: "all_resources",
      severity: failClosed ? "critical" : "warning",
      text: "intercepts every resource",
      advice: "List only the resources the webhook needs; a catch-all rule puts it in the path of leases, nodes, events and its own pods.",
    });
  }
  if (covers(w, "coordination.k8s.io", "leases")) {
    out.push({
      rule: "leases",
      severity: failClosed ? "critical" : "warning",
      text: "intercepts leases",
      advice: "Node heartbeats and leader election write leases: if the webhook fails, nodes turn NotReady and controllers lose leadership. Exclude leases.",
    });
  }
  if (covers(w, "", "nodes")) {
    out.push({
      rule: "nodes",
      severity: failClosed ? "critical" : "warning",
      text: "intercepts nodes",
      advice: "Kubelets update their Node objects; a failing webhook there makes nodes NotReady cluster-wide. Exclude nodes and nodes/status.",
    });
  }
  if (failClosed && !excludesKubeSystem(w.namespaceSelector)) {
    out.push({
      rule: "kube_system",
      severity: "critical",
      text: "does not exclude kube-system",
      advice:
        "With failurePolicy Fail, a down webhook can block the pods that would bring it (or CoreDNS) back — a deadlock. Add a namespaceSelector with kubernetes.io/metadata.name NotIn [kube-system].",
    });
  }
  if (!w.namespaceSelector && !w.objectSelector && w.matchConditions === 0) {
    out.push({
      rule: "no_selector",
      severity: "warning",
      text: "no namespaceSelector, objectSelector or matchConditions",
      advice: "Every matching object in every namespace goes through the webhook; scope it with selectors so its failures stay contained.",
    });
  }
  return out;
}
