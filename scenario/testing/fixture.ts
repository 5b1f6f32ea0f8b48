// Shared helpers for the scenario tests: a small scale model of the default
// scenario and a way to capture both outputs as strings.

import { createHash } from "node:crypto";
import { generateScenario } from "../generate";
import type { ScenarioParams, ScenarioSummary } from "../types";

/** 40 nodes, 20 minutes: the default story in miniature (runs in well under a second). */
export const SMALL_SCENARIO: ScenarioParams = {
  nodes: 40,
  durationMinutes: 20,
  incidentStartMinute: 8,
  rolloutMinutes: 3,
  seed: 7,
  endUnixSeconds: 1733929800,
  scrapeIntervalSeconds: 30,
  apiservers: 3,
};

export interface GeneratedScenario {
  summary: ScenarioSummary;
  openMetrics: string;
  auditLines: string[];
}

export function generateToStrings(params: ScenarioParams, withAudit = true): GeneratedScenario {
  const chunks: string[] = [];
  const auditLines: string[] = [];
  const summary = generateScenario(params, {
    openMetrics: (chunk) => chunks.push(chunk),
    ...(withAudit ? { audit: (line: string) => auditLines.push(line) } : {}),
  });
  return { summary, openMetrics: chunks.join(""), auditLines };
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface AuditEvent {
  kind: string;
  apiVersion: string;
  level: string;
  auditID: string;
  stage: string;
  requestURI: string;
  verb: string;
  user: { username: string; uid?: string; groups: string[] };
  sourceIPs: string[];
  userAgent: string;
  objectRef: {
    resource: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
    apiVersion: string;
    subresource?: string;
  };
  responseStatus: { code: number; status?: string; reason?: string; message?: string };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations: Record<string, string>;
}

/** Unix seconds (fractional) of an RFC 3339 microsecond timestamp. */
export function unixSeconds(timestamp: string): number {
  const whole = Date.parse(`${timestamp.slice(0, 19)}Z`) / 1000;
  return whole + Number(timestamp.slice(20, 26)) / 1e6;
}

const METRIC_VERB: Record<string, string> = {
  get: "GET",
  list: "LIST",
  watch: "WATCH",
  create: "POST",
  update: "PUT",
  patch: "PATCH",
  delete: "DELETE",
};

/** The apiserver_request_total labels an audit event should be counted under (PATCH and APPLY merged). */
export function metricKeyOf(e: AuditEvent): string {
  const ref = e.objectRef;
  const scope =
    ref.name !== undefined || e.verb === "create" ? "resource" : ref.namespace !== undefined ? "namespace" : "cluster";
  return [METRIC_VERB[e.verb], ref.apiGroup ?? "", ref.resource, ref.subresource ?? "", scope, e.responseStatus.code].join("|");
}

/** Default APF FlowSchema matching for the identities of the scenario. */
export function flowSchemaOf(e: AuditEvent): string {
  const { username, groups } = e.user;
  const resource = e.objectRef.resource;
  if (groups.includes("system:nodes")) {
    return resource === "leases" || resource === "nodes" ? "system-node-high" : "system-nodes";
  }
  const controlPlaneUser = username === "system:kube-controller-manager" || username === "system:kube-scheduler";
  if (controlPlaneUser && resource === "leases" && e.objectRef.namespace === "kube-system") {
    return "system-leader-election";
  }
  if (username === "system:kube-controller-manager") return "kube-controller-manager";
  if (username === "system:kube-scheduler") return "kube-scheduler";
  if (username.startsWith("system:serviceaccount:kube-system:")) return "kube-system-service-accounts";
  if (username.startsWith("system:serviceaccount:")) return "service-accounts";
  return "global-default";
}
