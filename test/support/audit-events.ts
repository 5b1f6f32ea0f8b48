// Audit events as kube-apiserver writes them (audit.k8s.io/v1, level Metadata, one JSON object per line), numbered
// so tests can write, append and count exact sets of requests.

/** Timestamps of event n: `base` plus n × 10 ms (received 3 ms before its stage timestamp). */
const BASE_MS = Date.now() - 30 * 60_000;

export function auditId(n: number, prefix = "0000"): string {
  return `${prefix.padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

const iso = (ms: number, micros = 0) => `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, "0")}Z`;

export function auditEvent(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const at = BASE_MS + n * 10;
  const node = `node-${n % 7}`;
  return {
    kind: "Event",
    apiVersion: "audit.k8s.io/v1",
    level: "Metadata",
    auditID: auditId(n),
    stage: "ResponseComplete",
    requestURI: `/api/v1/namespaces/default/pods/web-${n % 13}`,
    verb: "get",
    user: { username: `system:node:${node}`, groups: ["system:nodes", "system:authenticated"] },
    sourceIPs: [`10.0.0.${n % 7}`],
    userAgent: "kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47",
    objectRef: { resource: "pods", namespace: "default", name: `web-${n % 13}`, apiVersion: "v1" },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: iso(at - 3, n % 1000),
    stageTimestamp: iso(at, (n * 7) % 1000),
    annotations: { "authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": "" },
    ...over,
  };
}

export const auditLine = (n: number, over: Record<string, unknown> = {}) => JSON.stringify(auditEvent(n, over));

/** Lines for events first … first+count-1, each ending with a newline. */
export function auditLines(first: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `${auditLine(first + i)}\n`).join("");
}

/** Event n as if it happened `ageMs` ago. */
export function auditAtAge(n: number, ageMs: number): Record<string, unknown> {
  const at = Date.now() - ageMs;
  return auditEvent(n, { requestReceivedTimestamp: iso(at - 3), stageTimestamp: iso(at) });
}
