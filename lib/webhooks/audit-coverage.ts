// What the audit log can say about webhook latency per request. The apiserver.latency.k8s.io/* annotations are
// written only for requests slower than 500 ms, only since about Kubernetes 1.24, and not at all by some later
// releases (kubernetes/kubernetes#135684): their absence must read as "unknown", never as "no webhook time".
import type { LatencyAnnotationCoverage, WebhookAuditAnswer } from "./audit-types";

export interface CoverageNote {
  tone: "notice" | "info";
  text: string;
}

export function latencyAnnotationCoverage(annotated: boolean, slow: number | null): LatencyAnnotationCoverage {
  if (annotated) return "recorded";
  return (slow ?? 0) > 0 ? "not-written" : "none-slow";
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function latencyCoverageNote(a: Pick<WebhookAuditAnswer, "latencyAnnotations" | "slowRequests" | "waitedRequests">): CoverageNote {
  switch (a.latencyAnnotations) {
    case "not-written":
      return {
        tone: "notice",
        text:
          `${plural(a.slowRequests ?? 0, "request", "requests")} took longer than 500 ms, but none carries apiserver.latency.k8s.io annotations: ` +
          "this API server does not write them (they came with Kubernetes 1.24 and are missing in some later releases, " +
          "kubernetes/kubernetes#135684). How long each request waited on webhooks is unknown here; the webhook metrics above still apply.",
      };
    case "none-slow":
      return {
        tone: "info",
        text: "No request took longer than 500 ms, the threshold below which the API server writes no latency annotations: no request waited long on webhooks.",
      };
    case "recorded":
      return {
        tone: "info",
        text:
          `${plural(a.waitedRequests, "request", "requests")} recorded time spent in webhooks (latency annotations exist only for ` +
          "requests slower than 500 ms, so faster ones are not counted here).",
      };
  }
}
