import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importRules } from "./import";
import { HIGH_CARDINALITY_SERIES, LINT_CODES, lintRules, type LintContext, type LintFinding } from "./lint";
import type { AlertingRule, RecordingRule, RuleGroup } from "./rules";

const CTX: LintContext = { scrapeIntervalSeconds: 30, names: null };
const ANNOTATED = { summary: "Something is wrong", runbook_url: "https://runbooks.example/x" };

const alert = (expr: string, more: Partial<AlertingRule> = {}): AlertingRule => ({
  alert: "A",
  expr,
  for: "5m",
  keepFiringFor: "",
  labels: { severity: "warning" },
  annotations: ANNOTATED,
  ...more,
});
const record = (name: string, expr: string): RecordingRule => ({ record: name, expr, labels: {} });
const group = (...rules: Array<AlertingRule | RecordingRule>): RuleGroup => ({ name: "g", interval: "", rules });
const lint = (rules: Array<AlertingRule | RecordingRule>, ctx: Partial<LintContext> = {}) => lintRules([group(...rules)], { ...CTX, ...ctx });
const codes = (findings: LintFinding[]) => findings.map((f) => `${f.code}/${f.severity}`);

describe("lintRules", () => {
  it("finds nothing in a well-made alert", () => {
    expect(lint([alert('sum by (job) (rate(apiserver_request_total{job="apiserver",code=~"5.."}[5m])) / sum by (job) (rate(apiserver_request_total{job="apiserver"}[5m])) > 0.05')])).toEqual([]);
  });

  it("keeps its codes stable", () => {
    expect(Object.values(LINT_CODES)).toEqual([
      "expr-syntax",
      "for-too-short",
      "range-too-short",
      "counter-without-rate",
      "missing-summary",
      "missing-runbook-url",
      "duplicate-alert",
      "unknown-metric",
      "high-cardinality",
      "no-condition",
    ]);
  });

  describe("for", () => {
    it("says a single scrape can fire an alert without for", () => {
      const [f, ...rest] = lint([alert("up == 0", { for: "" })]);
      expect(rest).toEqual([]);
      expect(f).toEqual({ group: "g", rule: "A", code: "for-too-short", severity: "warning", message: expect.stringMatching(/^No for: a single scrape can fire it.*at least 1m \(two scrape intervals of 30s\)/) });
    });

    it("flags a for shorter than two scrape intervals, not one of two", () => {
      expect(lint([alert("up == 0", { for: "45s" })])).toEqual([expect.objectContaining({ code: "for-too-short", message: expect.stringMatching(/^for: 45s is shorter than two scrape intervals \(2 × 30s\)/) })]);
      expect(lint([alert("up == 0", { for: "1m" })])).toEqual([]);
      expect(lint([alert("up == 0", { for: "1m" })], { scrapeIntervalSeconds: 60 })).toEqual([expect.objectContaining({ code: "for-too-short", message: expect.stringContaining("at least 2m") })]);
      expect(lint([alert("up == 0", { for: "0s" })])).toEqual([expect.objectContaining({ code: "for-too-short", message: expect.stringMatching(/^No for/) })]);
    });

    it("leaves a for that is no duration to the editor", () => {
      expect(lint([alert("up == 0", { for: "ten minutes" })])).toEqual([]);
    });

    it("leaves alerts on constants alone (a watchdog reads no scrape) and recording rules", () => {
      expect(lint([alert("vector(1)", { for: "" }), record("job:up:sum", "sum by (job) (up)")])).toEqual([]);
    });
  });

  describe("range windows", () => {
    it("warns about a window shorter than four scrape intervals", () => {
      expect(lint([alert("rate(apiserver_request_total[1m]) > 1")])).toEqual([
        expect.objectContaining({ code: "range-too-short", severity: "warning", message: expect.stringMatching(/\[1m\] is shorter than four scrape intervals \(4 × 30s = 2m\).*rate\(\).*Use \[2m\] or more/) }),
      ]);
      expect(lint([alert("rate(apiserver_request_total[2m]) > 1")])).toEqual([]);
      expect(lint([alert("rate(apiserver_request_total[2m]) > 1")], { scrapeIntervalSeconds: 60 })).toEqual([expect.objectContaining({ code: "range-too-short", message: expect.stringContaining("Use [4m]") })]);
    });

    it("calls a window of under two scrape intervals an error where the function needs two samples", () => {
      expect(codes(lint([alert("increase(apiserver_request_total[45s]) > 1")]))).toEqual(["range-too-short/error"]);
      expect(lint([alert("increase(apiserver_request_total[45s]) > 1")])[0]!.message).toMatch(/holds one sample and increase\(\) returns nothing/);
      // max_over_time works on one sample, so the same window is only a warning.
      expect(codes(lint([alert("max_over_time(up[45s]) == 0")]))).toEqual(["range-too-short/warning"]);
    });

    it("checks subquery windows, with offsets and @ around them", () => {
      const found = lint([alert("max_over_time(rate(apiserver_request_total[5m])[1m:30s] offset 5m) > 1"), alert("min_over_time(up[1m] @ end()) == 0", { alert: "B" })]);
      expect(found.map((f) => [f.rule, f.code, f.message.slice(0, 14)])).toEqual([
        ["A", "range-too-short", "The window [1m"],
        ["B", "range-too-short", "The window [1m"],
      ]);
    });

    it("reports each window once per rule", () => {
      expect(lint([alert("rate(a_total[1m]) / rate(b_total[1m]) > 1")])).toHaveLength(1);
    });
  });

  describe("counters", () => {
    it.each([
      ["apiserver_request_total > 100", /apiserver_request_total is a counter and is read raw.*rate\(apiserver_request_total\[2m\]\)/],
      ["apiserver_request_duration_seconds_count{verb=\"GET\"} > 0", /_count is a counter/],
      ["apiserver_request_duration_seconds_sum / 2 > 1", /_sum is a counter/],
      ["histogram_quantile(0.99, apiserver_request_duration_seconds_bucket{job=\"apiserver\"}) > 1", /is read by histogram_quantile\(\)/],
      ["sum(apiserver_request_total) > 100", /is aggregated with sum before any rate/],
      ["max_over_time(apiserver_request_total[10m]) > 100", /is read by max_over_time\(\)/],
      ["deriv(apiserver_request_total[10m]) > 1", /deriv\(\), which takes each counter reset for a huge drop/],
      ["delta(apiserver_request_total[10m]) > 1", /delta\(\), which takes each counter reset/],
      ["rate(sum(apiserver_request_total)[10m:1m]) > 1", /is aggregated with sum before any rate/],
    ])("flags %s", (expr, message) => {
      const found = lint([alert(expr)]).filter((f) => f.code === "counter-without-rate");
      expect(found).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringMatching(message) })]);
    });

    it.each([
      "rate(apiserver_request_total[5m]) > 1",
      "irate(apiserver_request_total[5m]) > 1",
      "increase(apiserver_request_total[1h]) > 1",
      "resets(process_cpu_seconds_total[1h]) > 2",
      "changes(apiserver_request_total[10m]) == 0",
      "absent(apiserver_request_total)",
      "absent_over_time(apiserver_request_total[10m])",
      "count(apiserver_request_total) < 3",
      "group(apiserver_request_total) unless group(up)",
      "timestamp(apiserver_request_total) < time() - 600",
      'label_replace(rate(apiserver_request_total[5m]), "x", "$1", "verb", "(.*)") > 1',
      'rate(label_replace(apiserver_request_total, "x", "$1", "verb", "(.*)")[5m:]) > 1',
      "histogram_quantile(0.99, sum by (le) (rate(apiserver_request_duration_seconds_bucket[5m]))) > 1",
      "apiserver_current_inflight_requests > 400",
    ])("accepts %s", (expr) => {
      expect(lint([alert(expr)]).filter((f) => f.code === "counter-without-rate")).toEqual([]);
    });

    it("does not take recording-rule outputs for counters", () => {
      const rules = [record("job:apiserver_request_total:rate5m", "sum by (job) (rate(apiserver_request_total[5m]))"), record("apiserver_errors_total", "sum(rate(apiserver_request_total{code=~\"5..\"}[5m]))"), alert("job:apiserver_request_total:rate5m > 100 or apiserver_errors_total > 1")];
      expect(lintRules([group(...rules)], CTX)).toEqual([]);
    });
  });

  describe("annotations", () => {
    it("asks for a summary (warning) and a runbook_url (info) on alerts", () => {
      expect(lint([alert("up == 0", { annotations: { description: "d" } })]).map((f) => [f.code, f.severity, f.message.split(":")[0]])).toEqual([
        ["missing-summary", "warning", "No summary annotation"],
        ["missing-runbook-url", "info", "No runbook_url annotation"],
      ]);
      expect(codes(lint([alert("up == 0", { annotations: { summary: "  ", runbook_url: "" } })]))).toEqual(["missing-summary/warning", "missing-runbook-url/info"]);
    });
  });

  describe("duplicate alert names", () => {
    it("warns when two rules of one name carry the same labels, across groups", () => {
      const found = lintRules(
        [
          { name: "one", interval: "", rules: [alert("up == 0", { alert: "Down" })] },
          { name: "two", interval: "", rules: [alert("up{job=\"x\"} == 0", { alert: "Down" })] },
        ],
        CTX,
      );
      expect(found).toEqual([{ group: "two", rule: "Down", code: "duplicate-alert", severity: "warning", message: expect.stringMatching(/also defined in group one with the same labels.*Alertmanager/) }]);
    });

    it("calls the multi-severity pattern info, not a warning", () => {
      const found = lint([alert("up == 0", { alert: "Down", labels: { severity: "warning" } }), alert("up == 0", { alert: "Down", for: "15m", labels: { severity: "critical" } })]);
      expect(found).toEqual([expect.objectContaining({ code: "duplicate-alert", severity: "info", message: expect.stringContaining("(severity warning, critical)") })]);
    });
  });

  describe("metrics this Prometheus lacks", () => {
    const names = new Set(["up", "apiserver_request_total"]);

    it("flags each unknown metric once, skipping metrics recorded by the groups", () => {
      const rules = [record("job:up:sum", "sum by (job) (up)"), alert("job:up:sum == 0 or rate(apiserver_requests_total[5m]) > 1 or rate(apiserver_requests_total[10m]) > 2 or {__name__=~\"etcd_.*\"} > 0")];
      const found = lint(rules, { names });
      expect(found).toEqual([
        {
          group: "g",
          rule: "A",
          code: "unknown-metric",
          severity: "warning",
          message: "This Prometheus has no series named apiserver_requests_total. Check the name (and the version of the component that exports it) and that its job is scraped; until then the rule never fires.",
        },
      ]);
    });

    it("says nothing when the names are unknown", () => {
      expect(lint([alert("nothing_like_this == 1")], { names: null })).toEqual([]);
    });
  });

  describe("high cardinality", () => {
    it.each([
      "histogram_quantile(0.99, rate(apiserver_request_duration_seconds_bucket[5m])) > 1",
      "rate(etcd_request_duration_seconds_bucket[5m]) > 1",
      "apiserver_request_sli_duration_seconds_bucket > 0",
      "container_memory_working_set_bytes > 1e9",
    ])("flags every series of a known high-cardinality family selected and not aggregated: %s", (expr) => {
      const found = lint([alert(expr)]).filter((f) => f.code === "high-cardinality");
      expect(found).toEqual([expect.objectContaining({ severity: "warning", message: expect.stringMatching(/selected with no label matchers and nothing aggregates it.*Add matchers/) })]);
    });

    it.each([
      "histogram_quantile(0.99, sum by (le) (rate(apiserver_request_duration_seconds_bucket[5m]))) > 1",
      'histogram_quantile(0.99, rate(apiserver_request_duration_seconds_bucket{verb="GET",resource="pods"}[5m])) > 1',
      "absent(apiserver_request_duration_seconds_bucket)",
      "count(container_memory_working_set_bytes) > 1000",
    ])("accepts %s", (expr) => {
      expect(lint([alert(expr)]).filter((f) => f.code === "high-cardinality")).toEqual([]);
    });

    it("uses series counts when given: any metric above the limit that nothing aggregates", () => {
      const seriesCounts = new Map([
        ["kube_pod_info", HIGH_CARDINALITY_SERIES + 1],
        ["up", 40],
      ]);
      const found = lint([alert('kube_pod_info{namespace="x"} == 0 or up == 0'), alert("sum(kube_pod_info) == 0", { alert: "B" })], { seriesCounts });
      expect(found).toEqual([expect.objectContaining({ rule: "A", code: "high-cardinality", message: expect.stringMatching(/^kube_pod_info has 10,001 series here and nothing aggregates them/) })]);
    });
  });

  it("reports an expression that does not parse, and still checks the annotations", () => {
    expect(lint([alert("sum(rate(x[5m])", { annotations: {} })]).map((f) => [f.code, f.severity])).toEqual([
      ["expr-syntax", "error"],
      ["missing-summary", "warning"],
      ["missing-runbook-url", "info"],
    ]);
    expect(lint([alert("sum(rate(x[5m])")])[0]!.message).toBe("The expression does not parse: the expression ends too early (character 16).");
  });

  it("skips interval checks when the scrape interval is unknown", () => {
    expect(lint([alert("rate(apiserver_request_total[10s]) > 1", { for: "" })], { scrapeIntervalSeconds: 0 })).toEqual([]);
  });

  it("finds no errors in kube-prometheus' control-plane rules: shorter for and windows, raw counters, deliberate duplicates", () => {
    const imported = importRules(readFileSync(path.resolve("test/fixtures/rules/kube-prometheus-kubernetesControlPlane-prometheusRule.yaml"), "utf8"));
    if (!imported.ok) throw new Error(imported.error);
    const found = lintRules(imported.groups, { scrapeIntervalSeconds: 30, names: null });
    expect(found.filter((f) => f.severity === "error")).toEqual([]);
    const tally: Record<string, number> = {};
    for (const f of found) tally[`${f.code}/${f.severity}`] = (tally[`${f.code}/${f.severity}`] ?? 0) + 1;
    // Every alert has a summary and a runbook. Six fire without for (KubeJobNotCompleted, KubeNodeEviction, the
    // kubelet certificate alerts); KubeAggregatedAPIErrors counts over [1m]; the client-certificate alerts test
    // apiserver_client_certificate_expiration_seconds_count > 0 raw and node:node_num_cpu:sum counts
    // node_cpu_seconds_total series through a join; the duplicates are severity pairs and KubeAPIErrorBudgetBurn's
    // four windows.
    expect(tally).toEqual({ "for-too-short/warning": 6, "range-too-short/warning": 1, "counter-without-rate/warning": 3, "duplicate-alert/info": 8 });
    expect(found.filter((f) => f.code === "duplicate-alert" && f.rule === "KubeAPIErrorBudgetBurn")).toHaveLength(3);
    expect(found.find((f) => f.code === "range-too-short")).toMatchObject({ rule: "KubeAggregatedAPIErrors" });
    expect(new Set(found.filter((f) => f.code === "counter-without-rate").map((f) => f.rule))).toEqual(new Set(["KubeClientCertificateExpiration", "node:node_num_cpu:sum"]));
  });
});

describe("an alert without a condition", () => {
  const alert = (expr: string) => ({ name: "g", interval: "", rules: [{ alert: "A", expr, for: "5m", keepFiringFor: "", labels: {}, annotations: { summary: "s", runbook_url: "u" } }] });
  it("is flagged: every series it returns would be an alert, all the time", () => {
    const findings = lintRules([alert("sum by (code) (rate(apiserver_request_total[5m]))")], { scrapeIntervalSeconds: 30, names: null });
    expect(findings.map((f) => f.code)).toEqual(["no-condition"]);
  });
  it.each(["sum(rate(x_total[5m])) > 1", "up == 0", "absent(up{job=\"a\"})", "x and on () y", "x unless y", "(rate(x_total[5m]) > bool 1) == 1"])("is not flagged for %s", (expr) => {
    expect(lintRules([alert(expr)], { scrapeIntervalSeconds: 30, names: null }).filter((f) => f.code === "no-condition")).toEqual([]);
  });
});
