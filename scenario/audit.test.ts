// The audit log looks like what kube-apiserver writes with --audit-log-path.

import { beforeAll, describe, expect, it } from "vitest";
import { SMALL_SCENARIO, generateToStrings, unixSeconds, type AuditEvent } from "./testing/fixture";

let lines: string[];
let events: AuditEvent[];

beforeAll(() => {
  lines = generateToStrings(SMALL_SCENARIO).auditLines;
  events = lines.map((line) => JSON.parse(line) as AuditEvent);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const GO_DURATION = /^(\d+h)?(\d+m)?(\d+(\.\d+)?(s|ms|µs|ns))$/;

describe("audit log", () => {
  it("writes one audit.k8s.io/v1 Metadata event per line without a trailing newline", () => {
    expect(lines.length).toBeGreaterThan(5000);
    const verbs = new Set(["get", "list", "watch", "create", "update", "patch", "delete"]);
    const bad = events.filter(
      (e, i) =>
        !(lines[i] as string).endsWith("}") ||
        e.kind !== "Event" ||
        e.apiVersion !== "audit.k8s.io/v1" ||
        e.level !== "Metadata" ||
        !UUID.test(e.auditID) ||
        !MICRO_TIME.test(e.requestReceivedTimestamp) ||
        !MICRO_TIME.test(e.stageTimestamp) ||
        !verbs.has(e.verb) ||
        e.annotations["authorization.k8s.io/decision"] !== "allow" ||
        typeof e.annotations["authorization.k8s.io/reason"] !== "string" ||
        Object.values(e.objectRef).includes(""),
    );
    expect(bad).toEqual([]);
  });

  it("sorts lines by stageTimestamp", () => {
    const outOfOrder = events.filter((e, i) => i > 0 && e.stageTimestamp < (events[i - 1]?.stageTimestamp as string));
    expect(outOfOrder).toEqual([]);
  });

  it("gives every request its own auditID, shared by a watch's ResponseStarted and ResponseComplete", () => {
    const complete = new Map<string, AuditEvent>();
    for (const e of events) if (e.stage === "ResponseComplete") complete.set(e.auditID, e);
    expect(complete.size).toBe(events.filter((e) => e.stage === "ResponseComplete").length);
    const started = events.filter((e) => e.stage === "ResponseStarted");
    expect(started.length).toBeGreaterThan(100);
    let bothStages = 0;
    for (const s of started) {
      expect(s.verb).toBe("watch");
      const c = complete.get(s.auditID);
      if (!c) continue;
      bothStages++;
      expect(c.requestURI).toBe(s.requestURI);
      expect(c.stageTimestamp >= s.stageTimestamp).toBe(true);
    }
    expect(bothStages).toBeGreaterThan(50);
  });

  it("identifies kubelets like real nodes", () => {
    const kubelet = events.find((e) => e.user.username.startsWith("system:node:"));
    expect(kubelet?.userAgent).toBe("kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47");
    expect(kubelet?.user.groups).toEqual(["system:nodes", "system:authenticated"]);
    expect(kubelet?.sourceIPs[0]).toMatch(/^10\.64\.\d+\.\d+$/);
    const watch = events.find((e) => e.requestURI.includes("fieldSelector=spec.nodeName%3Dnode-"));
    expect(watch?.requestURI).toMatch(
      /^\/api\/v1\/pods\?allowWatchBookmarks=true&fieldSelector=spec\.nodeName%3Dnode-\d{4}&resourceVersion=\d+&timeout=\d+m\d+s&timeoutSeconds=\d+&watch=true$/,
    );
  });

  it("describes 429s as TooManyRequests failures", () => {
    const rejected = events.filter((e) => e.responseStatus.code === 429);
    expect(rejected.length).toBeGreaterThan(0);
    for (const e of rejected) {
      expect(e.responseStatus).toMatchObject({ status: "Failure", reason: "TooManyRequests" });
      expect(e.responseStatus.message).toBeTruthy();
    }
  });

  it("annotates pod creates with the sidecar injector mutation", () => {
    const creates = events.filter(
      (e) => e.verb === "create" && e.objectRef.resource === "pods" && !e.objectRef.subresource && e.responseStatus.code === 201,
    );
    expect(creates.length).toBeGreaterThan(0);
    for (const e of creates) {
      expect(JSON.parse(e.annotations["mutation.webhook.admission.k8s.io/round_0_index_0"] as string)).toEqual({
        configuration: "sidecar-injector",
        webhook: "sidecar-injector.mesh.example.com",
        mutated: true,
      });
    }
  });

  it("adds Go-formatted latency annotations to requests slower than 500 ms", () => {
    let slow = 0;
    const problems: string[] = [];
    for (const e of events) {
      if (e.stage !== "ResponseComplete" || e.verb === "watch") continue;
      const seconds = unixSeconds(e.stageTimestamp) - unixSeconds(e.requestReceivedTimestamp);
      const total = e.annotations["apiserver.latency.k8s.io/total"];
      if (seconds <= 0.5) {
        if (total !== undefined) problems.push(`${e.auditID}: fast request with latency annotations`);
        continue;
      }
      slow++;
      if (total === undefined) problems.push(`${e.auditID}: slow request without total`);
      for (const [key, value] of Object.entries(e.annotations)) {
        if (key.startsWith("apiserver.latency.k8s.io/") && !GO_DURATION.test(value)) problems.push(`${key}=${value}`);
      }
    }
    expect(problems).toEqual([]);
    expect(slow).toBeGreaterThan(100);
  });
});
