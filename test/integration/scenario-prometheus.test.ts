// The incident scenario in a real Prometheus: promtool backfills every sample, and what Prometheus reports
// agrees with the scenario's own audit log (tolerance: exact, since both come from one simulation).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricKeyOf, type AuditEvent } from "@/scenario/testing/fixture";
import { scenarioAppEnv, type ScenarioPrometheus } from "@/scripts/lib/scenario-prometheus";
import { startSmallScenario } from "@/test/support/scenario";

let run: ScenarioPrometheus;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ run, stop } = await startSmallScenario("scenario", { audit: true }));
});

afterAll(() => stop?.());

async function instant(query: string, time: number): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const url = `${run.prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${time}`;
  const body = (await (await fetch(url)).json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  expect(body.status, JSON.stringify(body)).toBe("success");
  return body.data.result;
}

describe("incident scenario in Prometheus", () => {
  it("holds every generated series and sample", async () => {
    const { endUnixSeconds, startUnixSeconds } = run.files.summary.window;
    const [series] = await instant(`count({__name__=~".+"} @ ${endUnixSeconds})`, endUnixSeconds);
    expect(Number(series!.value[1])).toBe(run.files.summary.metrics.series);
    const names = ((await (await fetch(`${run.prometheus.url}/api/v1/label/__name__/values`)).json()) as { data: string[] }).data;
    let samples = 0;
    for (const name of names) {
      const [r] = await instant(`sum(count_over_time(${name}[${endUnixSeconds - startUnixSeconds + 1}s]))`, endUnixSeconds);
      samples += Number(r!.value[1]);
    }
    expect(samples).toBe(run.files.summary.metrics.series * run.files.summary.window.samplesPerSeries);
  });

  it("counts in apiserver_request_total match the audit log per verb, resource and code", async () => {
    const { startUnixSeconds: start, endUnixSeconds: end } = run.files.summary.window;
    const by = "verb, group, resource, subresource, scope, code";
    const at = (t: number) => `sum by (${by}) (apiserver_request_total @ ${t})`;
    const result = await instant(`${at(end)} - ${at(start)} > 0`, end);
    const fromPrometheus: Record<string, number> = {};
    for (const { metric: l, value } of result) {
      // Audit logs cannot tell server-side apply from other patches: count APPLY as PATCH.
      const verb = l.verb === "APPLY" ? "PATCH" : l.verb;
      const key = [verb, l.group ?? "", l.resource, l.subresource ?? "", l.scope, l.code].join("|");
      fromPrometheus[key] = (fromPrometheus[key] ?? 0) + Number(value[1]);
    }
    const fromAudit: Record<string, number> = {};
    for (const line of readFileSync(run.files.auditPath!, "utf8").split("\n")) {
      if (!line) continue;
      const e = JSON.parse(line) as AuditEvent;
      if (e.stage !== "ResponseComplete") continue;
      const key = metricKeyOf(e);
      fromAudit[key] = (fromAudit[key] ?? 0) + 1;
    }
    expect(Object.keys(fromAudit).length).toBeGreaterThan(20);
    expect(fromPrometheus).toEqual(fromAudit);
  });

  it("tells the story: no 429 before the rollout, many after; latency climbs", async () => {
    const s = run.files.summary;
    const rate429 = `sum(rate(apiserver_request_total{code="429"}[2m]))`;
    const before = await instant(rate429, s.incident.startUnixSeconds - 60);
    expect(Number(before[0]?.value[1] ?? 0)).toBe(0);
    const after = await instant(rate429, s.window.endUnixSeconds);
    expect(Number(after[0]!.value[1])).toBeGreaterThan(1);
    const p99 = `histogram_quantile(0.99, sum by (le) (rate(apiserver_request_duration_seconds_bucket{verb="LIST"}[2m])))`;
    const p99Before = Number((await instant(p99, s.incident.startUnixSeconds - 60))[0]!.value[1]);
    const p99After = Number((await instant(p99, s.window.endUnixSeconds))[0]!.value[1]);
    expect(p99After).toBeGreaterThan(5 * p99Before);
    expect(scenarioAppEnv(run.prometheus.url).APISCOPE_APISERVER_SELECTOR).toBe('job="apiserver"');
  });
});
