// The client templates' alerts for one client ("Alert on this" on the culprit card), run by Prometheus' own rule engine (`promtool test rules`): they fire
// on the client's series with its name intact — including a name full of quotes and template braces — and stay
// quiet for a well-behaved client.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportYaml } from "@/lib/alerts/export";
import { buildAlert, templateById } from "@/lib/alerts/templates";
import { quoteLabelValue } from "@/lib/promql";
import { PROMTOOL_BIN } from "@/scripts/lib/prometheus";
import { tempDir } from "@/test/support/audit-harness";

const EVIL = 'evil {{ printf "x" }} "q"\\';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir("alert-rules");
});
afterAll(() => tmp?.cleanup());

const series = (client: string, code: string) =>
  `apiscope_audit_requests_total{client=${quoteLabelValue(client)},verb="list",resource="pods",code_class="${code}",job="apiscope"}`;

/** Runs `promtool test rules` on the rules for `client` against the input series; returns its exit code and output. */
function promtoolTest(client: string, alerts: unknown[]): { status: number | null; output: string } {
  const rules = ["client-request-rate", "client-share", "client-throttled"].map((id) => {
    const t = templateById(id)!;
    const built = buildAlert(t, { client, selector: 'job="apiscope"' }, { apiserverSelector: "", names: null }, { for: "10m", keepFiringFor: "", severity: "warning", labels: {} });
    if (!built.ok) throw new Error(`template ${id} did not build`);
    return built.rule;
  });
  writeFileSync(path.join(tmp.dir, "rules.yaml"), exportYaml([{ name: "clients", interval: "", rules }], "rules-file", { name: "clients", namespace: "monitoring", labels: {} }));
  // YAML is a superset of JSON: the test file is written as JSON so the hostile name needs no second quoting scheme.
  const test = {
    rule_files: ["rules.yaml"],
    evaluation_interval: "1m",
    tests: [
      {
        interval: "1m",
        input_series: [
          { series: series(EVIL, "2xx"), values: "0+12000x40" }, // 200 requests/s
          { series: series(EVIL, "429"), values: "0+120x40" }, // 2/s rejected
          { series: series("kubelet", "2xx"), values: "0+600x40" }, // 10/s
        ],
        alert_rule_test: alerts,
      },
    ],
  };
  writeFileSync(path.join(tmp.dir, "test.yaml"), JSON.stringify(test));
  const r = spawnSync(PROMTOOL_BIN, ["test", "rules", "test.yaml"], { cwd: tmp.dir, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("alert rules for a client, in Prometheus' rule engine", () => {
  it("fire for a flooding client, with its name read back from the labels", () => {
    const labels = { severity: "warning", client: EVIL };
    const r = promtoolTest(EVIL, [
      {
        eval_time: "20m",
        alertname: "APIServerClientRequestRateHigh",
        exp_alerts: [{ exp_labels: labels, exp_annotations: { summary: "An API-server client sends more requests than expected.", description: `${EVIL} sends 202 requests/s to the API servers.` } }],
      },
      {
        eval_time: "20m",
        alertname: "APIServerClientShareHigh",
        exp_alerts: [{ exp_labels: labels, exp_annotations: { summary: "One client takes a large share of all API-server requests.", description: `${EVIL} sends 95.28% of all API-server requests.` } }],
      },
      {
        eval_time: "20m",
        alertname: "APIServerClientThrottled",
        exp_alerts: [{ exp_labels: labels, exp_annotations: { summary: "API Priority and Fairness rejects a client's requests.", description: `${EVIL} gets 2 429s per second from the API servers.` } }],
      },
      // Not before the condition has held for 10 minutes.
      { eval_time: "8m", alertname: "APIServerClientRequestRateHigh", exp_alerts: [] },
    ]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("stay quiet for a client within its thresholds", () => {
    const r = promtoolTest("kubelet", [
      { eval_time: "20m", alertname: "APIServerClientRequestRateHigh", exp_alerts: [] },
      { eval_time: "20m", alertname: "APIServerClientThrottled", exp_alerts: [] },
    ]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });
});
