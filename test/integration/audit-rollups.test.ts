// Rollups change how fast the aggregate queries are, never what they answer: every query gives the same result
// before and after the rollups are built, for windows aligned or not to the rollups' 5-minute buckets.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO } from "@/scenario";
import { parseAuditRequest } from "@/lib/audit/query/request";
import { runBreakdown, runFanout, runListHygiene, runTimeseries } from "@/lib/audit/query/run";
import { alignedNow } from "@/scripts/lib/scenario-prometheus";
import { writeScenarioFiles, type ScenarioFiles } from "@/scripts/lib/scenario-files";
import { openAudit, tempDir, type AuditHarness } from "../support/audit-harness";

let files: ScenarioFiles;
let audit: AuditHarness;
const tmp = tempDir("rollups");

beforeAll(async () => {
  files = writeScenarioFiles(path.join(tmp.dir, "scenario"), { ...DEFAULT_SCENARIO, nodes: 40, durationMinutes: 40, incidentStartMinute: 15, rolloutMinutes: 5, endUnixSeconds: alignedNow(30) }, { audit: true });
  audit = await openAudit({ files: [files.auditPath!] });
  await audit.svc.pollFiles();
}, 120_000);

afterAll(async () => {
  await audit?.close();
  tmp.cleanup();
});

async function answers(window: string) {
  const req = (q: string) => {
    const r = parseAuditRequest(new URLSearchParams(`${window}&${q}`), Date.now());
    if (typeof r === "string") throw new Error(r);
    return r;
  };
  return {
    byClient: await runBreakdown(audit.svc, req("group=client&top=5")),
    byShape: await runBreakdown(audit.svc, req("group=client,verb,resource&top=8")),
    byUser: await runBreakdown(audit.svc, req("group=user,source_ip&top=3&client=telemetry-agent")),
    fanout: await runFanout(audit.svc, req("top=10")),
    hygiene: await runListHygiene(audit.svc, req("top=10"), true),
    series: await runTimeseries(audit.svc, req("group=client&top=3&width=100")),
  };
}

describe("rollups", () => {
  it("answer exactly what the stored requests answer", async () => {
    const { startUnixSeconds, endUnixSeconds } = files.summary.window;
    const windows = [
      `from=${startUnixSeconds * 1000}&to=${endUnixSeconds * 1000 + 1}`,
      `from=${startUnixSeconds * 1000 + 123_456}&to=${endUnixSeconds * 1000 - 654_321}`,
      `from=${files.summary.incident.startUnixSeconds * 1000 - 1}&to=${files.summary.incident.rolloutEndUnixSeconds * 1000 + 7}`,
    ];
    const before = await Promise.all(windows.map(answers));
    expect(before[0]!.byClient.total).toBe(files.summary.audit.requests + files.summary.audit.responseStarted - (await openWatchesCompleted()));
    const segments = await audit.svc.store.query<{ n: number }>("SELECT count(*) AS n FROM segments WHERE rollup_file IS NULL");
    expect(segments[0]!.n).toBeGreaterThan(0);
    await audit.svc.maintain();
    const built = await audit.svc.store.query<{ n: number }>("SELECT count(*) AS n FROM segments WHERE rollup_file IS NOT NULL");
    expect(built[0]!.n).toBe(segments[0]!.n);
    const after = await Promise.all(windows.map(answers));
    expect(after).toEqual(before);
    expect(after[0]!.byClient.rows.some((r) => r.keys === null)).toBe(true); // an "other" row is compared too
  });
});

describe("requests over time", () => {
  it("count the same per group in buckets finer than the rollups (read from the requests, filtered) as the breakdown", async () => {
    const { startUnixSeconds, endUnixSeconds } = files.summary.window;
    const window = `from=${startUnixSeconds * 1000}&to=${endUnixSeconds * 1000 + 1}`;
    const req = (q: string) => {
      const r = parseAuditRequest(new URLSearchParams(`${window}&${q}`), Date.now());
      if (typeof r === "string") throw new Error(r);
      return r;
    };
    const query = "group=verb,resource&top=4&verb=list&verb=get&resource=pods";
    const fine = await runTimeseries(audit.svc, req(`${query}&width=4000`));
    expect(fine.bucketSeconds % 300).not.toBe(0);
    const breakdown = await runBreakdown(audit.svc, req(query));
    const totals = (series: Array<{ keys: string[] | null; requests: number }>) => Object.fromEntries(series.map((s) => [JSON.stringify(s.keys), s.requests]));
    expect(totals(fine.series)).toEqual(totals(breakdown.rows));
    expect(fine.series.length).toBeGreaterThan(0);
  });
});

/** Requests logged as ResponseStarted that completed inside the log count once. */
async function openWatchesCompleted(): Promise<number> {
  const [r] = await audit.svc.store.query<{ n: number }>(
    `SELECT count(*) AS n FROM read_json('${files.auditPath}', format = 'newline_delimited', columns = {auditID: 'VARCHAR', stage: 'VARCHAR'})
     WHERE stage = 'ResponseStarted' AND auditID IN (SELECT auditID FROM read_json('${files.auditPath}', format = 'newline_delimited', columns = {auditID: 'VARCHAR', stage: 'VARCHAR'}) WHERE stage = 'ResponseComplete')`,
  );
  return r!.n;
}
