// Real audit logs from public projects (test/fixtures/audit, see SOURCES.md) uploaded into a real store: what is
// stored, per client, verb and resource, and what each upload's accounting says, against expectations computed
// independently with jq (test/support/audit-jq.ts).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBreakdown } from "@/lib/audit/query/run";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { jq, openAudit, sourceStatus, type AuditHarness } from "@/test/support/audit-harness";
import { JQ_AUDIT_LIB, JQ_COUNTS_BY_DAY, JQ_STATUS_BY_SOURCE } from "@/test/support/audit-jq";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/audit");
const DAY_MS = 86_400_000;

/** Every fixture, in the order it is uploaded. */
const FILES = ["sysdig-aks", "elastic", "falco"].flatMap((dir) =>
  readdirSync(path.join(FIXTURES, dir))
    .sort()
    .map((name) => path.join(FIXTURES, dir, name)),
);
const sourceOf = (file: string) => `upload:${path.basename(file)}`;
/** The top-level JSON values of a file, as jq reads them (one file at a time: jq reads a BOM only at the start). */
const jsonValues = (file: string) => jq<unknown[]>(".", [file], { slurp: true });

let h: AuditHarness;
/** Per file, its top-level JSON values. */
let values: Array<{ source: string; values: unknown[] }>;

beforeAll(async () => {
  values = FILES.map((f) => ({ source: sourceOf(f), values: jsonValues(f) }));
  h = await openAudit();
  for (const file of FILES) await h.svc.ingestUpload(file, path.basename(file));
});

afterAll(async () => {
  await h?.close();
});

describe("public audit log fixtures", () => {
  it("stores one request per auditID, counted per client, verb and resource as jq counts them", async () => {
    const expected = jq<Record<string, Record<string, number>>>(JQ_COUNTS_BY_DAY, [], { input: JSON.stringify(values.flatMap((v) => v.values)) });
    const days = Object.keys(expected);
    expect(days.length).toBeGreaterThanOrEqual(5); // 2018, 2020 and 2025 events
    const actual: Record<string, Record<string, number>> = {};
    for (const day of days) {
      const from = Date.parse(`${day}T00:00:00Z`);
      const request = parseAuditRequest(
        new URLSearchParams({ from: String(from), to: String(from + DAY_MS), group: "client,verb,resource", top: "100" }),
        Date.now(),
      );
      if (typeof request === "string") throw new Error(request);
      const answer = await runBreakdown(h.svc, request);
      actual[day] = Object.fromEntries(answer.rows.map((r) => [r.keys?.join(" | ") ?? "(other)", r.requests]));
    }
    expect(actual).toEqual(expected);
    // The derivations that matter most, spelled out: client-go's controller suffix (the controller's name when it
    // runs as its own service account), and no user agent at all.
    const all = Object.values(expected).flatMap((byKey) => Object.keys(byKey));
    expect(all).toContain("hyperkube/resourcequota-controller | get | /apis/metrics.k8s.io/v1beta1");
    expect(all).toContain("kube-controller-manager/tokens-controller | create | secrets");
    expect(all).toContain("approver/leader-election | update | leases.coordination.k8s.io");
    expect(all).toContain("(none) | create | namespaces");
  });

  it("accounts for every upload: accepted, open and skipped by reason, as jq expects", async () => {
    const expected = jq<Array<{ source: string; accepted: number; open: number; skipped: Record<string, number> }>>(
      JQ_STATUS_BY_SOURCE,
      [],
      { input: JSON.stringify(values) },
    );
    expect(expected).toHaveLength(51); // 2 Sysdig AKS exports, 2 Elastic JSON-lines files, 47 Falco files
    const actual = [];
    for (const e of expected) {
      const s = await sourceStatus(h.svc, e.source);
      actual.push({ source: s.source, accepted: s.accepted, open: s.open, skipped: s.skipped });
    }
    expect(actual).toEqual(expected);
    // Across all uploads: the falco duplicates (one auditID in two files) and the four events of the Elastic
    // sample sharing one auditID are each stored once.
    const sum = (k: "accepted" | "open") => expected.reduce((a, s) => a + s[k], 0);
    const requests = jq<unknown[]>(`${JQ_AUDIT_LIB} requests`, [], { input: JSON.stringify(values.flatMap((v) => v.values)) });
    expect(sum("accepted") + sum("open")).toBe(requests.length);
  });

  it("rejects Falco's malformed {\"kind\": 0} as missing_field, and says which field and line", async () => {
    const s = await sourceStatus(h.svc, "upload:fal_01_003.json");
    expect(s).toEqual({
      source: "upload:fal_01_003.json",
      accepted: 0,
      open: 0,
      merged: 0,
      uploadedMs: expect.any(Number),
      skipped: { missing_field: 1 },
      samples: [{ reason: "missing_field", detail: "auditID", line: 1 }],
    });
  });

  it("skips the GKE Cloud Audit Log record as unsupported_format and keeps the events around it", async () => {
    const file = path.join(FIXTURES, "elastic/test-audit.log");
    const lines = readFileSync(file, "utf8").split("\n");
    const gkeLine = lines.findIndex((l) => l.trim() !== "" && "protoPayload" in (JSON.parse(l) as object)) + 1;
    expect(gkeLine).toBeGreaterThan(1);
    const s = await sourceStatus(h.svc, "upload:test-audit.log");
    expect(s.skipped.unsupported_format).toBe(1);
    expect(s.samples).toContainEqual({ reason: "unsupported_format", detail: expect.stringMatching(/GKE/), line: gkeLine });
    expect(s.accepted).toBeGreaterThan(0);
  });

  it("keeps a request seen only as ResponseStarted as open (Falco's attach and exec, AKS' WATCHes)", async () => {
    expect((await sourceStatus(h.svc, "upload:attach_pod.json")).open).toBe(1);
    expect((await sourceStatus(h.svc, "upload:exec_pod.json")).open).toBe(1);
    const aks = jq<number>(`[.[] | .records[]?.properties.log | fromjson | select(.stage == "ResponseStarted")] | length`, [path.join(FIXTURES, "sysdig-aks/event.json")], { slurp: true });
    expect(aks).toBe(2);
    expect((await sourceStatus(h.svc, "upload:event.json")).open).toBe(aks);
  });
});
