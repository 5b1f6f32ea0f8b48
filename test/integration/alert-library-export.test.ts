// The whole alert library, every template with its default parameters, exported as a Prometheus rule file and as a
// PrometheusRule: Prometheus' own checker accepts the file (expressions, durations, annotation templates, recording
// rule names), its rule engine runs the error-budget burn alert off the library's burn-rate records, and the
// PrometheusRule is valid for the prometheus-operator CRD.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { exportYaml } from "@/lib/alerts/export";
import type { AlertingRule, RecordingRule, RuleGroup } from "@/lib/alerts/rules";
import { buildAlert, defaultParams, templateById, TEMPLATES } from "@/lib/alerts/templates";
import { AREAS } from "@/lib/alerts/templates/types";
import { validateAgainstSchema, type OpenApiSchema } from "@/lib/export/openapi-validate";
import { PROMTOOL_BIN } from "@/scripts/lib/prometheus";
import { tempDir } from "@/test/support/audit-harness";

const CTX = { apiserverSelector: 'job="apiserver"', names: null };
const RUNBOOKS = "https://apiscope.example/runbooks";
const META = { name: "apiscope-library", namespace: "monitoring", labels: { release: "kube-prometheus-stack" } };

/** One group of recording rules, each once, evaluated before the alert groups that read them; one group per area. */
function libraryGroups(): { groups: RuleGroup[]; records: RecordingRule[]; alerts: AlertingRule[] } {
  const records = new Map<string, RecordingRule>();
  const alerts: Array<{ area: string; rule: AlertingRule }> = [];
  for (const t of TEMPLATES) {
    const out = buildAlert(t, defaultParams(t, CTX), CTX, { for: t.for, keepFiringFor: t.keepFiringFor, severity: t.severity, labels: {}, runbookBase: RUNBOOKS });
    if (!out.ok) throw new Error(`${t.id}: missing ${out.missing.join(", ")}`);
    for (const r of out.records) {
      const key = `${r.record}${JSON.stringify(r.labels)}`;
      const seen = records.get(key);
      // Two templates may read the same record only if they compute it the same way.
      if (seen && seen.expr !== r.expr) throw new Error(`${key} differs between templates`);
      records.set(key, r);
    }
    alerts.push({ area: t.area, rule: out.rule });
  }
  const groups: RuleGroup[] = [
    { name: "apiscope-library-records", interval: "", rules: [...records.values()] },
    ...AREAS.map((a) => ({ name: `apiscope-library-${a.id}`, interval: "", rules: alerts.filter((x) => x.area === a.id).map((x) => x.rule) })),
  ];
  return { groups, records: [...records.values()], alerts: alerts.map((x) => x.rule) };
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir("alert-library");
});
afterAll(() => tmp?.cleanup());

function promtool(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL_BIN, args, { cwd: tmp.dir, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the alert library exported", () => {
  it("as a rule file passes promtool check rules, each recording rule once", () => {
    const { groups, records, alerts } = libraryGroups();
    expect(alerts).toHaveLength(TEMPLATES.length);
    // Both burn-rate templates read the 6h records; they appear once.
    expect(records.filter((r) => r.record === "apiserver_request:burnrate6h")).toHaveLength(2);
    expect(records).toHaveLength(2 * 7);
    writeFileSync(path.join(tmp.dir, "library.yaml"), exportYaml(groups, "rules-file", META));
    const r = promtool(["check", "rules", "library.yaml"]);
    expect(r.output).toContain(`SUCCESS: ${records.length + alerts.length} rules found`);
    expect(r.output).not.toMatch(/duplicate/i);
    expect(r.status).toBe(0);
  });

  it("fires the fast error-budget burn alert from its records when half the reads fail, and not when none do", () => {
    const { groups } = libraryGroups();
    writeFileSync(path.join(tmp.dir, "library.yaml"), exportYaml(groups, "rules-file", META));
    const t = templateById("apiserver-error-budget-burn-fast")!;
    const reads = (code: string) => `apiserver_request_total{job="apiserver",verb="LIST",resource="pods",scope="resource",code="${code}"}`;
    const sli = (suffix: string, scope: string, le?: string) =>
      `apiserver_request_sli_duration_seconds_${suffix}{job="apiserver",verb="LIST",resource="pods",scope="${scope}"${le ? `,le="${le}"` : ""}}`;
    const series = (errorsPerMinute: number) => [
      { series: reads("200"), values: "0+60x120" },
      { series: reads("500"), values: `0+${errorsPerMinute}x120` },
      // Every read is fast: only the errors burn the budget.
      { series: sli("count", "resource"), values: `0+${60 + errorsPerMinute}x120` },
      { series: sli("bucket", "resource", "1"), values: `0+${60 + errorsPerMinute}x120` },
      { series: sli("bucket", "namespace", "5"), values: "0x120" },
      { series: sli("bucket", "cluster", "30"), values: "0x120" },
    ];
    const test = {
      rule_files: ["library.yaml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: series(60),
          alert_rule_test: [
            {
              eval_time: "70m",
              alertname: t.alert,
              exp_alerts: [
                {
                  exp_labels: { severity: "critical" },
                  exp_annotations: {
                    summary: t.summary,
                    description: t.description.replace("{{ $value | humanizePercentage }}", "50%"),
                    runbook_url: `${RUNBOOKS}#${t.id}`,
                  },
                },
              ],
            },
          ],
        },
        { interval: "1m", input_series: series(0), alert_rule_test: [{ eval_time: "70m", alertname: t.alert, exp_alerts: [] }] },
      ],
    };
    writeFileSync(path.join(tmp.dir, "burn-test.yaml"), JSON.stringify(test));
    const r = promtool(["test", "rules", "burn-test.yaml"]);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("as a PrometheusRule is valid for the prometheus-operator CRD and reads back as the groups", () => {
    const crd = parse(readFileSync(path.resolve("test/fixtures/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml"), "utf8"));
    const schema: OpenApiSchema = crd.spec.versions.find((v: { name: string }) => v.name === "v1").schema.openAPIV3Schema;
    const { groups, records, alerts } = libraryGroups();
    const docs = parseAllDocuments(exportYaml(groups, "PrometheusRule", META)).map((d) => d.toJS());
    expect(docs).toHaveLength(1);
    const doc = docs[0];
    expect(validateAgainstSchema({ PrometheusRule: schema }, "PrometheusRule", doc)).toEqual([]);
    expect(doc.metadata).toEqual({ name: META.name, namespace: META.namespace, labels: { "app.kubernetes.io/managed-by": "apiscope", release: "kube-prometheus-stack" } });
    const rules = doc.spec.groups.flatMap((g: { rules: unknown[] }) => g.rules);
    expect(rules).toHaveLength(records.length + alerts.length);
    expect(doc.spec.groups.map((g: { name: string }) => g.name)).toEqual(groups.map((g) => g.name));
    const burn = rules.find((r: { alert?: string }) => r.alert === "KubeAPIErrorBudgetBurnFast");
    expect(burn).toMatchObject({ for: "2m", labels: { severity: "critical" }, annotations: { runbook_url: `${RUNBOOKS}#apiserver-error-budget-burn-fast` } });
  });
});
