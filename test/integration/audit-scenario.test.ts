// The incident scenario's audit log (a telemetry DaemonSet LISTing pods cluster-wide from every node), followed
// as a configured file source: the queries an SRE runs during the incident find the culprit, its fan-out and its
// LIST hygiene, and every line of the log is accounted for.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditStatus, runBreakdown, runFanout, runListHygiene } from "@/lib/audit/query/run";
import { runCulprit } from "@/lib/load/culprit-query";
import { runApfSubjects } from "@/lib/apf/subjects-query";
import { runWebhooks } from "@/lib/webhooks/audit-query";
import { parseAuditRequest, type AuditRequest } from "@/lib/audit/query/request";
import { DEFAULT_SCENARIO } from "@/scenario";
import { writeScenarioFiles, type ScenarioFiles } from "@/scripts/lib/scenario-files";
import { alignedNow } from "@/scripts/lib/scenario-prometheus";
import { jq, openAudit, sourceStatus, storedRequests, tempDir, type AuditHarness } from "@/test/support/audit-harness";
import { JQ_AUDIT_LIB } from "@/test/support/audit-jq";
import { checkThrottle } from "@/lib/apf/guard";

let tmp: ReturnType<typeof tempDir>;
let scenario: ScenarioFiles;
let log: string;
let h: AuditHarness;

beforeAll(async () => {
  tmp = tempDir("audit-scenario");
  const params = { ...DEFAULT_SCENARIO, nodes: 50, durationMinutes: 35, incidentStartMinute: 15, endUnixSeconds: alignedNow(30) };
  scenario = writeScenarioFiles(path.join(tmp.dir, "scenario"), params, { audit: true });
  log = scenario.auditPath!;
  h = await openAudit({ files: [log] });
  await h.svc.pollFiles();
});

afterAll(async () => {
  await h?.close();
  tmp?.cleanup();
});

/** A query as the audit API parses it, over [fromS, toS] (inclusive: events at the window's last second count). */
function request(fromS: number, toS: number, params: Record<string, string | string[]> = {}): AuditRequest {
  const search = new URLSearchParams({ from: String(fromS * 1000), to: String((toS + 1) * 1000) });
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) search.append(k, one);
  const r = parseAuditRequest(search, Date.now());
  if (typeof r === "string") throw new Error(r);
  return r;
}

describe("the incident scenario's audit log, followed as a file", () => {
  it("stores every completed request once and keeps the WATCHes still open at the end apart", async () => {
    // From the log itself: requests with a ResponseComplete line, and requests only ever started.
    const fromLog = jq<{ done: number; open: number }>(
      `reduce inputs as $e ({}; if $e.stage == "ResponseComplete" then .[$e.auditID] = "done" elif .[$e.auditID] == "done" then . else .[$e.auditID] = "open" end)
       | [.[]] | {done: map(select(. == "done")) | length, open: map(select(. == "open")) | length}`,
      [log], { args: ["-n"] },
    );
    expect(fromLog.done).toBe(scenario.summary.audit.requests);
    expect(fromLog.open).toBeGreaterThan(0);
    expect(await storedRequests(h.svc)).toEqual({ rows: fromLog.done, ids: fromLog.done });
    const s = await sourceStatus(h.svc, `file:${log}`);
    expect({ accepted: s.accepted, open: s.open, skipped: s.skipped }).toEqual({ accepted: fromLog.done, open: fromLog.open, skipped: {} });
    expect((await auditStatus(h.svc)).store.openRequests).toBe(fromLog.open);
  });

  it("counts requests per client as the user agents name them", async () => {
    const expected = jq<Record<string, number>>(
      `${JQ_AUDIT_LIB} [inputs] | requests | group_by(client) | map({key: (.[0] | client), value: length}) | from_entries`,
      [log], { args: ["-n"] },
    );
    const { startUnixSeconds, endUnixSeconds } = scenario.summary.window;
    const answer = await runBreakdown(h.svc, request(startUnixSeconds, endUnixSeconds, { group: "client", top: "100" }));
    expect(Object.fromEntries(answer.rows.map((r) => [r.keys?.[0] ?? "(other)", r.requests]))).toEqual(expected);
  });

  it("shows the telemetry agent as the top client once the incident is under way", async () => {
    const { incident, window, culprit } = scenario.summary;
    const answer = await runBreakdown(h.svc, request(incident.rolloutEndUnixSeconds, window.endUnixSeconds, { group: "client" }));
    expect(answer.rows[0]!.keys).toEqual([culprit.client]);
    expect(answer.rows[0]!.throttled).toBeGreaterThan(0); // its LISTs are rejected by APF
  });

  it("finds its fan-out: one cluster-wide LIST pods from every node that got the agent", async () => {
    const { incident, window, culprit } = scenario.summary;
    const answer = await runFanout(h.svc, request(incident.startUnixSeconds, window.endUnixSeconds, { client: culprit.client }));
    const listPods = answer.rows.find((r) => r.verb === "list" && r.resource === "pods" && r.scope === "cluster");
    expect(listPods?.sources).toBe(culprit.fanOut);
    expect(listPods?.intervalSeconds).toBeGreaterThan(0);
    expect(listPods!.intervalSeconds!).toBeLessThanOrEqual(culprit.requestShapes.find((s) => s.resource === "pods")!.periodSeconds!);
  });

  it("shows that none of its LISTs asks for resourceVersion=0", async () => {
    const { window, culprit } = scenario.summary;
    const listsInLog = jq<Record<string, number>>(
      `[inputs | select(.stage == "ResponseComplete" and .verb == "list" and .userAgent == $ua) | .objectRef.resource]
       | group_by(.) | map({key: .[0], value: length}) | from_entries`,
      [log], { args: ["-n", "--arg", "ua", culprit.userAgent] },
    );
    expect(Object.keys(listsInLog).sort()).toEqual(culprit.requestShapes.filter((s) => s.verb === "list").map((s) => s.resource).sort());
    const answer = await runListHygiene(h.svc, request(window.startUnixSeconds, window.endUnixSeconds, { client: culprit.client }), true);
    expect(Object.fromEntries(answer.rows.map((r) => [r.resource, r.lists]))).toEqual(listsInLog);
    for (const row of answer.rows) {
      expect(row.withoutRv0).toBe(row.lists);
      expect(row.withoutLimit).toBe(row.lists);
      expect(row.clusterScoped).toBe(row.lists);
    }
  });

  it("names the telemetry agent as the culprit of the incident, with its evidence", async () => {
    const { incident, window, culprit } = scenario.summary;
    // A client filter does not change who the culprit is.
    const answer = await runCulprit(h.svc, request(incident.startUnixSeconds, window.endUnixSeconds, { client: "kubelet" }));
    const { verdict } = answer;
    expect(verdict.kind).toBe("jump");
    expect(verdict.culprit?.client).toBe(culprit.client);
    // The agent did not exist before the rollout: its whole share is new.
    expect(verdict.culprit?.before?.requests).toBe(0);
    const breakdown = await runBreakdown(h.svc, request(incident.startUnixSeconds, window.endUnixSeconds, { client: culprit.client }));
    expect(verdict.culprit?.now.requests).toBe(breakdown.rows[0]!.requests);
    expect(answer.sources).toBe(culprit.fanOut);
    expect(verdict.othersThrottled.now).toBeGreaterThan(verdict.othersThrottled.before!);
    expect(answer.shapes[0]).toMatchObject({ client: culprit.client, verb: "list", resource: "pods", scope: "cluster", sources: culprit.fanOut });
    expect(answer.listHygiene?.withoutRv0).toBe(answer.listHygiene?.lists);
    expect(answer.users).toEqual([{ user: culprit.username, requests: verdict.culprit!.now.requests }]);
    // Its first request comes with the rollout.
    expect(answer.firstSeenMs).toBeGreaterThanOrEqual(incident.startUnixSeconds * 1000);
    expect(answer.firstSeenMs).toBeLessThanOrEqual(incident.rolloutEndUnixSeconds * 1000);
  });

  it("names the telemetry agent over the whole log, with nothing stored before it, from the change inside the window", async () => {
    const { incident, window, culprit } = scenario.summary;
    const answer = await runCulprit(h.svc, request(window.startUnixSeconds, window.endUnixSeconds));
    const { verdict } = answer;
    expect(verdict).toMatchObject({ kind: "change", hasBaseline: false, culprit: { client: culprit.client, risenBy: "cost" } });
    expect(verdict.culprit?.before).toBeNull();
    expect(verdict.culprit?.change?.appeared).toBe(true);
    // It appeared with the rollout, at its first request.
    expect(verdict.culprit?.change?.atMs).toBe(answer.firstSeenMs);
    expect(answer.firstSeenMs).toBeGreaterThanOrEqual(incident.startUnixSeconds * 1000);
    // The busiest client by requests is another: the agent is named for the busy time it takes.
    const byRequests = await runBreakdown(h.svc, request(window.startUnixSeconds, window.endUnixSeconds, { top: "1" }));
    expect(byRequests.rows[0]!.keys).not.toEqual([culprit.client]);
    expect(verdict.culprit!.change!.after.costShare).toBeGreaterThan(0.5);
  });

  it("names the telemetry agent on every sub-window that contains the rollout, and none before it", async () => {
    const { incident, window, culprit } = scenario.summary;
    const start = window.startUnixSeconds;
    const rollout = incident.startUnixSeconds;
    const end = window.endUnixSeconds;
    const windows: Array<[number, number]> = [
      [start, rollout + 300],
      [start, rollout + 600],
      [start + 300, end],
      [rollout - 300, end],
      [rollout - 60, rollout + 600],
      [rollout, end],
      [rollout, rollout + 600],
    ];
    for (const [from, to] of windows) {
      const { verdict } = await runCulprit(h.svc, request(from, to));
      expect({ window: [from - start, to - start], culprit: verdict.culprit?.client }).toEqual({ window: [from - start, to - start], culprit: culprit.client });
      expect(["jump", "change"]).toContain(verdict.kind);
    }
    // Before the rollout, the load is steady: the costliest client is named and called so.
    const quiet = await runCulprit(h.svc, request(start, rollout - 60));
    expect(quiet.verdict.kind).toBe("costliest");
    expect(quiet.verdict.culprit?.client).not.toBe(culprit.client);
  });

  it("tells which webhooks ran on which requests and how long requests waited on them, as the annotations say", async () => {
    const { window } = scenario.summary;
    const fromLog = jq<{ mutating: Record<string, { requests: number; mutated: number }>; waited: { validating: number; mutating: number } }>(
      `[inputs | select(.stage == "ResponseComplete")] as $done
       | {mutating: ([$done[] | .auditID as $id | (.annotations // {}) | to_entries[]
           | select(.key | startswith("mutation.webhook.admission.k8s.io/")) | .value | fromjson | {id: $id, webhook, mutated}]
           | group_by(.webhook) | map({key: .[0].webhook, value: {requests: (map(.id) | unique | length), mutated: (map(select(.mutated)) | length)}})
           | from_entries),
          waited: {validating: [$done[] | select(.annotations["apiserver.latency.k8s.io/validating-webhook"])] | length,
                   mutating: [$done[] | select(.annotations["apiserver.latency.k8s.io/mutating-webhook"])] | length}}`,
      [log], { args: ["-n"] },
    );
    expect(Object.keys(fromLog.mutating).length).toBeGreaterThan(0);
    expect(fromLog.waited.validating).toBeGreaterThan(0);
    const answer = await runWebhooks(h.svc, request(window.startUnixSeconds, window.endUnixSeconds, { top: "100" }));
    expect(answer.latencyAnnotations).toBe("recorded");
    expect(Object.fromEntries(answer.webhooks.map((w) => [w.webhook, { requests: w.requests, mutated: w.mutated }]))).toEqual(fromLog.mutating);
    expect(answer.webhooks[0]!.targets[0]).toBe("create pods");
    expect(Object.fromEntries(answer.waits.map((w) => [w.kind, w.requests]))).toEqual(fromLog.waited);
    // The slow policy webhook (median about 2.3 s, more under the incident) dominates what requests wait for.
    const validating = answer.waits.find((w) => w.kind === "validating")!;
    expect(validating.p50).toBeGreaterThan(1);
    expect(validating.share).toBeGreaterThan(0.5);
    expect(answer.shapes[0]!.resource).toBe("pods");
    expect(answer.slowest.length).toBeGreaterThan(0);
  });

  it("resolves the telemetry agent to the service account a FlowSchema can match, served by service-accounts today", async () => {
    const { incident, window, culprit } = scenario.summary;
    const answer = await runApfSubjects(h.svc, request(incident.startUnixSeconds, window.endUnixSeconds, { client: culprit.client }));
    expect(answer.clients.map((c) => c.client)).toContain(culprit.client);
    const r = answer.resolution!;
    const [, , ns, name] = culprit.username.split(":");
    expect(r.subjects.map((s) => s.ref)).toEqual([{ kind: "ServiceAccount", namespace: ns, name }]);
    expect(r.currentSchemas[0]).toMatchObject({ name: "service-accounts", matchingPrecedence: 9000, priorityLevel: "workload-low" });
    expect(r.verbs).toContain("list");
    expect(r.resources).toContainEqual({ apiGroup: "", resource: "pods" });
    expect(r.clusterScope).toBe(true);
    // Its service account sends nothing else: a throttle on it slows no other client.
    expect(r.collateral).toEqual([]);
    expect(r.ratePerSecond).toBeGreaterThan(0);
    expect(r.meanLatencySeconds).toBeGreaterThan(0);
  });

  it("resolves the kubelets from all of their requests: every node identity, system-node-high, one refusal line", async () => {
    const { window } = scenario.summary;
    const q = request(window.startUnixSeconds, window.endUnixSeconds, { client: "kubelet" });
    const answer = await runApfSubjects(h.svc, q);
    const r = answer.resolution!;
    const total = await runBreakdown(h.svc, q);
    expect(r.requests).toBe(total.rows.reduce((a, row) => a + row.requests, 0));
    const nodes = jq<number>(`[inputs | select(.stage == "ResponseComplete" and (.userAgent | startswith("kubelet/"))) | .user.username] | unique | length`, [log], { args: ["-n"] });
    expect(r.subjects).toHaveLength(nodes);
    expect(r.subjects.every((s) => s.user.startsWith("system:node:"))).toBe(true);
    expect(r.subjectSummary).toMatchObject({ count: nodes, groups: ["system:nodes"] });
    expect(r.subjectSummary!.pattern).toMatch(/^system:node:/);
    expect(r.currentSchemas[0]).toMatchObject({ name: "system-node-high" });
    expect(r.verbs.length).toBeGreaterThan(1);
    const guard = checkThrottle({ subjects: r.subjects.map((s) => s.ref), currentSchemas: r.currentSchemas });
    expect(guard.refusals.filter((f) => f.rule === "nodes")).toHaveLength(1);
    expect(guard.refusals[0]!.text).toMatch(new RegExp(`^${nodes} node identities`));
  });

  it("names the telemetry agent on the log uploaded alone, as after an incident", async () => {
    const { window, culprit } = scenario.summary;
    const uploaded = await openAudit();
    try {
      await uploaded.svc.ingestUpload(log, "audit.log");
      const { verdict } = await runCulprit(uploaded.svc, request(window.startUnixSeconds - 3600, window.endUnixSeconds + 3600));
      expect(verdict).toMatchObject({ kind: "change", hasBaseline: false, culprit: { client: culprit.client } });
      expect(verdict.culprit?.change?.appeared).toBe(true);
    } finally {
      await uploaded.close();
    }
  });
});
