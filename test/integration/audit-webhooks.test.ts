// Admission webhooks as the audit log records them: which ran on which request, mutated or not, failed open, and
// how long requests waited on them — and, when the API server does not write latency annotations, saying so
// instead of showing zero.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { runWebhooks } from "@/lib/webhooks/audit-query";
import { auditEvent, auditId } from "@/test/support/audit-events";
import { openAudit, tempDir, type AuditHarness } from "@/test/support/audit-harness";

const HOSTILE = "<img src=x onerror=alert(1)>";
const mutation = (webhook: string, mutated: boolean, configuration = "sidecar") => JSON.stringify({ configuration, webhook, mutated });

/** Event n made `seconds` long (received that long before its stage timestamp), with these annotations. */
function slow(n: number, seconds: number, annotations: Record<string, string>, over: Record<string, unknown> = {}): Record<string, unknown> {
  const e = auditEvent(n, over);
  const stage = Date.parse(e.stageTimestamp as string);
  return { ...e, requestReceivedTimestamp: new Date(stage - seconds * 1000).toISOString(), annotations };
}

const createPod = { verb: "create", requestURI: "/api/v1/namespaces/default/pods", objectRef: { resource: "pods", namespace: "default", apiVersion: "v1" } };

let tmp: ReturnType<typeof tempDir>;
const stores: AuditHarness[] = [];

async function storeOf(name: string, events: Array<Record<string, unknown>>, extraLines: string[] = []): Promise<AuditHarness> {
  const file = path.join(tmp.dir, `${name}.log`);
  writeFileSync(file, [...events.map((e) => JSON.stringify(e)), ...extraLines].map((l) => `${l}\n`).join(""));
  const h = await openAudit({ files: [file] });
  stores.push(h);
  await h.svc.pollFiles();
  return h;
}

function lastHour() {
  const r = parseAuditRequest(new URLSearchParams({ from: "now-1h", to: "now", top: "20" }), Date.now());
  if (typeof r === "string") throw new Error(r);
  return r;
}

beforeAll(() => {
  tmp = tempDir("audit-webhooks");
});

afterAll(async () => {
  for (const h of stores) await h.close();
  tmp?.cleanup();
});

describe("webhooks in the audit log", () => {
  it("counts the requests each webhook ran on, mutated, or failed open on, from the annotations", async () => {
    const h = await storeOf("annotated", [
      slow(1, 2.3, {
        "mutation.webhook.admission.k8s.io/round_0_index_0": mutation("inject.sidecar.io", true),
        "mutation.webhook.admission.k8s.io/round_0_index_1": mutation(HOSTILE, false, "labels"),
        "apiserver.latency.k8s.io/mutating-webhook": "25.5ms",
        "apiserver.latency.k8s.io/validating-webhook": "2.1s",
        "apiserver.latency.k8s.io/total": "2.3s",
      }, createPod),
      // Re-invoked in round 1: one request, mutated once.
      slow(2, 0.1, {
        "mutation.webhook.admission.k8s.io/round_0_index_0": mutation("inject.sidecar.io", false),
        "mutation.webhook.admission.k8s.io/round_1_index_0": mutation("inject.sidecar.io", true),
        "failed-open.validating.webhook.admission.k8s.io/round_0_index_0": "policy.example.com",
      }, createPod),
      slow(3, 0.05, { "failed-open.mutation.webhook.admission.k8s.io/round_0_index_2": "flaky.example.com" }, createPod),
      // A value that is not JSON is not a webhook; the request is kept.
      slow(4, 0.05, { "mutation.webhook.admission.k8s.io/round_0_index_0": "{not json" }, createPod),
      auditEvent(5),
      auditEvent(6),
    ]);
    const answer = await runWebhooks(h.svc, lastHour());
    const byName = Object.fromEntries(answer.webhooks.map((w) => [`${w.type}:${w.webhook}`, w]));
    expect(byName["mutating:inject.sidecar.io"]).toMatchObject({ configuration: "sidecar", requests: 2, mutated: 2, failedOpen: 0, targets: ["create pods"] });
    expect(byName[`mutating:${HOSTILE}`]).toMatchObject({ configuration: "labels", requests: 1, mutated: 0 });
    expect(byName["validating:policy.example.com"]).toMatchObject({ requests: 0, failedOpen: 1 });
    expect(byName["mutating:flaky.example.com"]).toMatchObject({ requests: 0, failedOpen: 1 });
    expect(answer.webhooks).toHaveLength(4);
    // Fail-opens first: a webhook that is silently skipped is the finding.
    expect(answer.webhooks[0]!.failedOpen).toBe(1);
  });

  it("reports how long requests waited on webhooks, and whose requests", async () => {
    const h = stores[0]!;
    const answer = await runWebhooks(h.svc, lastHour());
    expect(answer.latencyAnnotations).toBe("recorded");
    // Annotations are written, so slow requests need no count.
    expect(answer.slowRequests).toBeNull();
    expect(answer.waitedRequests).toBe(1);
    const waits = Object.fromEntries(answer.waits.map((w) => [w.kind, w]));
    expect(waits.mutating).toMatchObject({ requests: 1, max: expect.closeTo(0.0255, 9) });
    expect(waits.validating).toMatchObject({ requests: 1, max: expect.closeTo(2.1, 9) });
    expect(waits.validating!.share).toBeCloseTo(2.1 / 2.3, 3);
    expect(answer.shapes).toEqual([
      { client: "kubelet", verb: "create", resource: "pods", requests: 1, seconds: expect.closeTo(2.1255, 6), p99: expect.closeTo(2.1255, 6), share: expect.closeTo(2.1255 / 2.3, 3) },
    ]);
    // The slowest request first, with the webhooks that ran on it.
    const first = answer.slowest[0]!;
    expect(first.webhooks).toEqual([{ webhook: "inject.sidecar.io", mutated: true }, { webhook: HOSTILE, mutated: false }]);
    // Every request a webhook touched, the one whose annotation is not JSON aside.
    expect(answer.slowest.map((e) => e.audit_id)).toEqual([auditId(1), auditId(3), auditId(2)]);
  });

  it("says the API server writes no latency annotations when slow requests carry none", async () => {
    const h = await storeOf("unannotated", [slow(1, 3, {}, createPod), slow(2, 0.8, {}), auditEvent(3)]);
    const answer = await runWebhooks(h.svc, lastHour());
    expect(answer).toMatchObject({ latencyAnnotations: "not-written", slowRequests: 2, waitedRequests: 0, waits: [], shapes: [] });
  });

  it("expects no latency annotations when no request was slower than 500 ms", async () => {
    const h = await storeOf("fast", [auditEvent(1), auditEvent(2)]);
    const answer = await runWebhooks(h.svc, lastHour());
    expect(answer).toMatchObject({ latencyAnnotations: "none-slow", slowRequests: 0, webhooks: [], waits: [] });
  });
});
