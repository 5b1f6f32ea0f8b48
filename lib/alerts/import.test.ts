import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { exportYaml } from "./export";
import { importRules, type ImportResult } from "./import";
import { IMPORT_MAX_BYTES, IMPORT_MAX_RULES } from "./import-limits";
import { isAlerting, isRecording, type RuleGroup } from "./rules";

const fixture = (name: string) => readFileSync(path.resolve("test/fixtures/rules", name), "utf8");
const KUBE_PROMETHEUS = "kube-prometheus-kubernetesControlPlane-prometheusRule.yaml";
const AWESOME = ["awesome-prometheus-alerts-kubernetes-kubestate-exporter.yml", "awesome-prometheus-alerts-etcd-embedded-exporter.yml", "awesome-prometheus-alerts-coredns-embedded-exporter.yml"];
const META = { name: "rules", namespace: "monitoring", labels: {} };

type Imported = Extract<ImportResult, { ok: true }>;
function imported(text: string): Imported {
  const r = importRules(text);
  if (!r.ok) throw new Error(`expected the import to succeed: ${r.error}`);
  return r;
}
const ruleCount = (groups: readonly RuleGroup[]) => groups.reduce((n, g) => n + g.rules.length, 0);

/** Rules in a rule file or PrometheusRule stream, counted with a plain YAML parse. */
function countRules(text: string): { alerts: number; records: number } {
  let alerts = 0;
  let records = 0;
  for (const doc of parseAllDocuments(text)) {
    const js = doc.toJS() as { kind?: string; spec?: { groups: unknown[] }; groups?: unknown[] } | null;
    const groups = (js?.kind === "PrometheusRule" ? js.spec!.groups : js?.groups) as Array<{ rules?: Array<Record<string, unknown>> }>;
    for (const g of groups) {
      for (const r of g.rules ?? []) {
        if ("alert" in r) alerts++;
        else records++;
      }
    }
  }
  return { alerts, records };
}

const ruleFile = (rules: string, groupExtra = "") => `groups:\n- name: g\n${groupExtra}  rules:\n${rules}  - alert: Survivor\n    expr: up == 0\n`;

describe("formats", () => {
  it("reads a plain rule file into the model, zero durations as none", () => {
    const r = imported(fixture("awesome-prometheus-alerts-coredns-embedded-exporter.yml"));
    expect(r.sources).toEqual([{ document: 1, kind: "RuleFile" }]);
    expect(r.problems).toEqual([]);
    expect(r.groups).toEqual([
      {
        name: "EmbeddedExporter",
        interval: "",
        rules: [
          {
            alert: "CorednsPanicCount",
            expr: "increase(coredns_panics_total[1m]) > 0",
            for: "",
            keepFiringFor: "",
            labels: { severity: "critical" },
            annotations: {
              summary: "CoreDNS Panic Count (instance {{ $labels.instance }})",
              description: "Number of CoreDNS panics encountered\n  VALUE = {{ $value }}\n  LABELS = {{ $labels }}",
            },
          },
        ],
      },
    ]);
  });

  it("reads a PrometheusRule: kube-prometheus' control-plane rules", () => {
    const text = fixture(KUBE_PROMETHEUS);
    const r = imported(text);
    expect(r.sources).toEqual([{ document: 1, kind: "PrometheusRule", name: "kubernetes-monitoring-rules" }]);
    expect(r.problems).toEqual([]);
    expect(r.groups).toHaveLength(25);
    const rules = r.groups.flatMap((g) => g.rules);
    expect({ alerts: rules.filter(isAlerting).length, records: rules.filter(isRecording).length }).toEqual(countRules(text));
    expect(countRules(text)).toEqual({ alerts: 63, records: 71 });
    const availability = r.groups.find((g) => g.name === "kube-apiserver-availability.rules")!;
    expect(availability.interval).toBe("3m");
    expect(availability.rules).toHaveLength(16);
    const burn = rules.filter((x) => isAlerting(x) && x.alert === "KubeAPIErrorBudgetBurn");
    expect(burn.map((x) => isAlerting(x) && [x.for, x.labels.severity, x.labels.long])).toEqual([
      ["2m", "critical", "1h"],
      ["15m", "critical", "6h"],
      ["1h", "warning", "1d"],
      ["3h", "warning", "3d"],
    ]);
  });

  it.each(["List", "PrometheusRuleList"])("reads the items of a %s and says which items it skipped", (kind) => {
    const r = imported(`apiVersion: v1
kind: ${kind}
items:
- apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  metadata: {name: one, namespace: monitoring}
  spec:
    groups:
    - name: a
      rules:
      - {alert: A, expr: 'up == 0', for: 5m}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
- apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  metadata: {name: two}
  spec:
    groups:
    - name: b
      interval: 1m
      rules:
      - {record: 'job:up:sum', expr: sum by (job) (up)}
`);
    expect(r.sources).toEqual([
      { document: 1, kind: "PrometheusRule", name: "one" },
      { document: 1, kind: "PrometheusRule", name: "two" },
    ]);
    expect(r.groups.map((g) => [g.name, g.interval, g.rules.length])).toEqual([
      ["a", "", 1],
      ["b", "1m", 1],
    ]);
    expect(r.problems).toEqual([{ group: "", document: 1, message: expect.stringMatching(/Deployment web.*not a rule file.*skipped/) }]);
  });

  it("reads a multi-document stream mixing formats, renaming groups whose names clash across files", () => {
    const r = imported(`# leading comment
---
groups:
- name: shared
  rules:
  - {alert: First, expr: 'up == 0'}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: pr}
spec:
  groups:
  - name: shared
    rules:
    - {alert: Second, expr: 'up == 0'}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data:
  x.rules: |
    groups:
    - name: shared
      rules:
      - {alert: Third, expr: 'up == 0'}
---
`);
    expect(r.groups.map((g) => [g.name, isAlerting(g.rules[0]!) && g.rules[0].alert])).toEqual([
      ["shared", "First"],
      ["shared-2", "Second"],
      ["shared-3", "Third"],
    ]);
    expect(r.sources).toEqual([
      { document: 1, kind: "RuleFile" },
      { document: 2, kind: "PrometheusRule", name: "pr" },
      { document: 3, kind: "ConfigMap", name: "cm", key: "x.rules" },
    ]);
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringContaining('renamed to "shared-2"'), expect.stringContaining('renamed to "shared-3"')]);
  });

  it("reads every data value of a ConfigMap that is a rule file, whatever its key, and says which it skipped", () => {
    const r = imported(`apiVersion: v1
kind: ConfigMap
metadata: {name: prometheus-rules, namespace: monitoring}
data:
  alerts.yaml: |
    groups:
    - name: a
      rules:
      - alert: A
        expr: up == 0
  prometheus.yml: |
    global:
      scrape_interval: 30s
  broken.yaml: "groups: [\\n"
  tagged.yaml: "groups: !!js/function 'f'\\n"
  prometheusrule.yaml: |
    apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    spec: {groups: []}
  README: just text
  recording: |
    groups:
    - name: b
      rules:
      - record: job:up:sum
        expr: sum by (job) (up)
binaryData:
  blob: aGVsbG8=
`);
    expect(r.sources).toEqual([
      { document: 1, kind: "ConfigMap", name: "prometheus-rules", key: "alerts.yaml" },
      { document: 1, kind: "ConfigMap", name: "prometheus-rules", key: "recording" },
    ]);
    expect(r.groups.map((g) => g.name)).toEqual(["a", "b"]);
    const messages = r.problems.map((p) => p.message);
    expect(messages).toEqual([
      "ConfigMap prometheus-rules: binaryData is not read",
      expect.stringMatching(/^ConfigMap prometheus-rules, key "prometheus.yml": not a rule file/),
      expect.stringMatching(/key "broken.yaml": not a rule file: it is not valid YAML/),
      expect.stringMatching(/key "tagged.yaml": not a rule file: the YAML tag !!js\/function is not supported/),
      expect.stringMatching(/key "prometheusrule.yaml": not a rule file/),
      expect.stringMatching(/key "README": not a rule file/),
    ]);
    expect(r.problems.every((p) => p.group === "" && p.document === 1)).toBe(true);
  });

  it("refuses a ConfigMap without any rule file", () => {
    const r = importRules("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  prometheus.yml: 'global: {}'\n");
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/No rules found.*ConfigMap cfg.*not a rule file/) });
  });

  it("reads a JSON document, compact or indented with tabs", () => {
    const doc = { groups: [{ name: "a", interval: "30s", rules: [{ alert: "A", expr: "up == 0", for: "5m", labels: { severity: "page" } }] }] };
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, "\t"), JSON.stringify({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "j" }, spec: doc })]) {
      const r = imported(text);
      expect(r.groups).toEqual([{ name: "a", interval: "30s", rules: [{ alert: "A", expr: "up == 0", for: "5m", keepFiringFor: "", labels: { severity: "page" }, annotations: {} }] }]);
    }
  });

  it("ignores a byte-order mark and reads an empty group list", () => {
    const r = imported("\ufeffgroups: []\n");
    expect(r.groups).toEqual([]);
    expect(r.sources).toEqual([{ document: 1, kind: "RuleFile" }]);
  });

  it("says what it got when the text holds no rules", () => {
    expect(importRules("")).toEqual({ ok: false, error: expect.stringMatching(/empty/) });
    expect(importRules("up == 0")).toEqual({ ok: false, error: expect.stringMatching(/No rules found.*Document 1 is a string/) });
    expect(importRules("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n")).toEqual({ ok: false, error: expect.stringMatching(/\(Deployment web\) is not a rule file/) });
    expect(importRules("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n")).toEqual({ ok: false, error: expect.stringMatching(/ServiceMonitor/) });
    expect(importRules("kind: PrometheusRule\napiVersion: example.com/v1\nspec: {groups: []}\n")).toEqual({ ok: false, error: expect.stringMatching(/apiVersion "example.com\/v1"/) });
  });

  it("tells a promtool test file (kubernetes-mixin's) from a rule file", () => {
    const r = importRules(fixture("kubernetes-mixin-apiserver-availability-test.yaml"));
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/promtool test file, not a rule file/) });
  });
});

describe("checks on each rule and group", () => {
  it.each([
    ["both alert and record", "  - {alert: X, record: x, expr: up}\n", "X", /both alert and record/],
    ["neither alert nor record", "  - {expr: up}\n", "#1", /neither alert nor record/],
    ["an empty alert name", "  - {alert: '', expr: up}\n", "#1", /alert must be a non-empty string/],
    ["a missing expr", "  - {alert: X}\n", "X", /expr is missing/],
    ["an empty expr", "  - {alert: X, expr: '  '}\n", "X", /expr is empty/],
    ["an expr that is a list", "  - {alert: X, expr: [up]}\n", "X", /expr must be a PromQL string, not a list/],
    ["an expr that does not parse", "  - {alert: X, expr: 'sum(rate(x[5m])'}\n", "X", /expr does not parse: the expression ends too early \(character 16\)/],
    ["a for that is no duration", "  - {alert: X, expr: up, for: 5 minutes}\n", "X", /for "5 minutes" is not a Prometheus duration/],
    ["a for with units out of order", "  - {alert: X, expr: up, for: 30m1h}\n", "X", /for "30m1h" is not/],
    ["a fractional for", "  - {alert: X, expr: up, for: 1.5h}\n", "X", /for "1.5h" is not/],
    ["a for without unit", "  - {alert: X, expr: up, for: 300}\n", "X", /for "300" is not/],
    ["a for beyond int64 nanoseconds", "  - {alert: X, expr: up, for: 300y}\n", "X", /for "300y" is not/],
    ["a keep_firing_for that is no duration", "  - {alert: X, expr: up, keep_firing_for: soon}\n", "X", /keep_firing_for "soon" is not/],
    ["a recording rule with for", "  - {record: x, expr: up, for: 5m}\n", "x", /a recording rule cannot have for/],
    ["a recording rule with annotations", "  - {record: x, expr: up, annotations: {summary: s}}\n", "x", /a recording rule cannot have annotations/],
    ["an invalid record name", "  - {record: 'bad-name', expr: up}\n", "bad-name", /record "bad-name" is not a valid metric name/],
    ["a record name starting with a digit", "  - {record: '1x', expr: up}\n", "1x", /not a valid metric name/],
    ["an invalid label name", "  - {alert: X, expr: up, labels: {'team-name': a}}\n", "X", /label name "team-name" is not valid/],
    ["a label setting __name__", "  - {alert: X, expr: up, labels: {__name__: a}}\n", "X", /labels cannot set __name__/],
    ["a label value that is a map", "  - {alert: X, expr: up, labels: {team: {a: b}}}\n", "X", /labels.team must be a string, not a map/],
    ["labels that are a list", "  - {alert: X, expr: up, labels: [a]}\n", "X", /labels must be a map of names to strings, not a list/],
    ["an invalid annotation name", "  - {alert: X, expr: up, annotations: {'runbook-url': a}}\n", "X", /annotation name "runbook-url" is not valid/],
    ["an annotation that is a list", "  - {alert: X, expr: up, annotations: {summary: [a, b]}}\n", "X", /annotations.summary must be a string, not a list/],
    ["a misspelt field", "  - {alert: X, expr: up, anotations: {summary: s}}\n", "X", /unknown field "anotations"/],
    ["a rule that is a string", "  - up == 0\n", "#1", /a rule must be a map/],
  ])("reports %s and keeps the valid rule next to it", (_, rules, rule, message) => {
    const r = imported(ruleFile(rules));
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.rules.map((x) => isAlerting(x) && x.alert)).toEqual(["Survivor"]);
    expect(r.problems).toEqual([{ group: "g", rule, document: 1, message: expect.stringMatching(message) }]);
    expect(r.problems[0]!.message).toMatch(/rule skipped$/);
  });

  it("reports every problem of one rule in one message", () => {
    const r = imported(ruleFile("  - {alert: X, expr: 'up ==', for: 5, labels: {'a-b': c}}\n"));
    expect(r.problems[0]!.message).toMatch(/expr does not parse.*; for "5" is not.*; the label name "a-b" is not valid.*; rule skipped/);
  });

  it("reads scalar label and annotation values as the text they are written as, as Prometheus does", () => {
    const r = imported(
      ruleFile("  - alert: 123\n    expr: 1\n    for: 0\n    labels: {severity: 1, page: true, ratio: 1.0, hex: 0x1F, empty: ~, none: , quoted: '007'}\n    annotations: {summary: 3.5e3, note: null}\n"),
    );
    expect(r.problems).toEqual([]);
    expect(r.groups[0]!.rules[0]).toEqual({
      alert: "123",
      expr: "1",
      for: "",
      keepFiringFor: "",
      labels: { severity: "1", page: "true", ratio: "1.0", hex: "0x1F", empty: "", none: "", quoted: "007" },
      annotations: { summary: "3.5e3", note: "" },
    });
  });

  it("keeps durations as written and maps the fields to the model", () => {
    const r = imported(ruleFile("  - {alert: X, expr: up == 0, for: 1h30m, keep_firing_for: 10m, labels: {severity: warning}}\n  - {record: 'job:up:sum', expr: sum by (job) (up), labels: {team: a}}\n", "  interval: 2m\n"));
    expect(r.groups[0]).toEqual({
      name: "g",
      interval: "2m",
      rules: [
        { alert: "X", expr: "up == 0", for: "1h30m", keepFiringFor: "10m", labels: { severity: "warning" }, annotations: {} },
        { record: "job:up:sum", expr: "sum by (job) (up)", labels: { team: "a" } },
        { alert: "Survivor", expr: "up == 0", for: "", keepFiringFor: "", labels: {}, annotations: {} },
      ],
    });
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const r = imported(ruleFile("  - {alert: X, expr: up, annotations: {__proto__: polluted, summary: s}}\n"));
    const rule = r.groups[0]!.rules[0]!;
    expect(isAlerting(rule) && Object.getOwnPropertyDescriptor(rule.annotations, "__proto__")?.value).toBe("polluted");
    expect(Object.getPrototypeOf(isAlerting(rule) ? rule.annotations : {})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("skips groups Prometheus would refuse and keeps the others", () => {
    const r = imported(`groups:
- name: ok
  rules:
  - {alert: A, expr: up}
- name: ok
  rules:
  - {alert: B, expr: up}
- rules:
  - {alert: C, expr: up}
- name: ''
  rules: []
- name: slow
  interval: 90
  rules:
  - {alert: D, expr: up}
- name: scalar-rules
  rules: up
- just a string
- name: extra
  limit: 10
  query_offset: 1m
  labels: {team: a}
  owner: me
  rules:
  - {alert: E, expr: up}
`);
    expect(r.groups.map((g) => [g.name, g.rules.length])).toEqual([
      ["ok", 1],
      ["extra", 1],
    ]);
    expect(r.problems.map((p) => [p.group, p.message])).toEqual([
      ["ok", expect.stringMatching(/group name is repeated in the rule file, which Prometheus refuses; the later group is skipped/)],
      ["#3", expect.stringMatching(/the group has no name \(missing\); skipped/)],
      ["#4", expect.stringMatching(/the group has no name/)],
      ["slow", expect.stringMatching(/interval "90" is not a Prometheus duration.*group skipped/)],
      ["scalar-rules", expect.stringMatching(/rules must be a list, not a string/)],
      ["#7", expect.stringMatching(/a group must be a map/)],
      ["extra", expect.stringMatching(/^limit .* is not kept/)],
      ["extra", expect.stringMatching(/^query_offset .* is not kept/)],
      ["extra", expect.stringMatching(/^labels .* is not kept/)],
      ["extra", 'unknown group field "owner" ignored'],
    ]);
  });

  it("reports fields a rule file does not have", () => {
    const r = imported("groups: []\nrule_groups: []\n");
    expect(r.problems).toEqual([{ group: "", document: 1, message: 'the rule file: the field "rule_groups" is not part of a rule file; ignored' }]);
  });
});

describe("hostile and huge input", () => {
  const bomb = () => {
    let s = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) s += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]\n`;
    return `${s}groups: []\n`;
  };
  const cases: Array<[string, () => string, RegExp]> = [
    ["more than 2 MiB", () => "#".repeat(IMPORT_MAX_BYTES + 1), /2,097,153 bytes or more; at most 2,097,152/],
    ["more than 2 MiB of UTF-8 in fewer characters", () => `# ${"é".repeat(IMPORT_MAX_BYTES / 2)}`, /at most 2,097,152/],
    ["100,000 unclosed [", () => "[".repeat(100_000), /nests collections more than 100 levels deep \(line 1, column 101\)/],
    ["100,000 nested flow lists", () => "[".repeat(100_000) + "]".repeat(100_000), /more than 100 levels deep/],
    ["nested flow maps in a rule file", () => `groups: ${"{a: ".repeat(50_000)}`, /more than 100 levels deep/],
    ["deeply indented maps", () => Array.from({ length: 1500 }, (_, i) => `${" ".repeat(i)}a:\n`).join(""), /more than 100 levels deep/],
    ["sequences nested on one line", () => `${"- ".repeat(900_000)}x`, /more than 100 levels deep/],
    ["deep JSON", () => `{"groups": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`, /more than 100 levels deep/],
    ["an alias bomb", bomb, /more than 100 YAML aliases/],
    ["aliases of a megabyte string", () => `a: &a "${"x".repeat(1_000_000)}"\nb: [${Array(20).fill("*a").join(", ")}]\ngroups: []\n`, /more than 16,777,216 characters/],
    ["an alias inside its own anchor", () => "a: &x [1, *x]\ngroups: []\n", /alias \*x refers to a value that contains it/],
    ["an alias without anchor", () => "groups: *x\n", /alias \*x has no anchor/],
    ["duplicate keys", () => "groups: []\ngroups: []\n", /key "groups" appears twice in one map \(line 2, column 1\)/],
    ["duplicate keys in a rule", () => "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    expr: vector(1)\n", /key "expr" appears twice/],
    ["a JavaScript function tag", () => "groups: !!js/function 'function () { globalThis.pwned = true }'\n", /YAML tag !!js\/function is not supported/],
    ["a Python object tag", () => "groups:\n- name: !!python/object/apply:os.system ['id']\n", /!!python\/object\/apply:os.system is not supported/],
    ["a local tag", () => "groups: !Ref rules\n", /YAML tag !Ref is not supported/],
    ["a binary tag", () => "groups: []\nx: !!binary aGVsbG8=\n", /!!binary is not supported/],
    ["a NUL byte", () => "groups: []\n\0", /binary data \(character U\+0000 at line 2, column 1\)/],
    ["random bytes", () => Array.from({ length: 100_000 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 256)).join(""), /binary data/],
    ["a lone surrogate", () => "groups: []\n# \ud800\n", /binary data \(character U\+D800/],
    ["500,000 empty documents", () => "---\n".repeat(500_000), /more than 1,000 YAML documents/],
    ["2 MiB of one-character list items", () => `groups:\n${"- 1\n".repeat(500_000)}`, /more than 300,000 YAML tokens/],
    ["a map of 150,000 keys", () => `groups: []\nx:\n${Array.from({ length: 150_000 }, (_, i) => `  k${i}: 1\n`).join("")}`, /more than 300,000 YAML tokens/],
    ["more than 5,000 rules", () => `groups:\n- name: a\n  rules:\n${"  - {alert: A, expr: up}\n".repeat(IMPORT_MAX_RULES + 1)}`, /more than 5,000 rules/],
    ["more than 2,000 groups", () => `groups:\n${Array.from({ length: 2001 }, (_, i) => `- {name: g${i}, rules: []}\n`).join("")}`, /more than 2,000 rule groups/],
    ["unterminated YAML", () => 'groups: [{name: "a', /not valid YAML/],
  ];

  it.each(cases)("refuses %s quickly, with a message", (_, make, message) => {
    const text = make();
    const start = performance.now();
    const r = importRules(text);
    const ms = performance.now() - start;
    expect(r).toEqual({ ok: false, error: expect.stringMatching(message) });
    expect(ms).toBeLessThan(2000);
  });

  it("does not run what a tag names", () => {
    importRules("groups: !!js/function 'function () { globalThis.pwned = true }'\n");
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it("reports 2 MiB of malformed PromQL quickly, rule by rule", () => {
    const garbage = [")".repeat(19_000), ",".repeat(19_000), "1 ".repeat(9_500), "x[".repeat(9_500)];
    const text = `groups:\n- name: a\n  rules:\n${Array.from({ length: 100 }, (_, i) => `  - record: r${i}\n    expr: '${garbage[i % 4]}'\n`).join("")}  - {record: ok, expr: up}\n`;
    expect(text.length).toBeGreaterThan(1.8 * 1024 * 1024);
    const start = performance.now();
    const r = imported(text);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.groups[0]!.rules).toHaveLength(1);
    expect(r.problems).toHaveLength(100);
    expect(r.problems.slice(0, 4).map((p) => p.message)).toEqual([
      'expr does not parse: unexpected input near "))))))))))" (character 1); rule skipped',
      'expr does not parse: unexpected input near ",,,,,,,,,," (character 1); rule skipped',
      expect.stringMatching(/^expr does not parse: unexpected input near "1 1 1 1 1 1" \(character 3\)/),
      "expr does not parse: the expression nests or chains more than 500 brackets and operators (character 1); rule skipped",
    ]);
  });

  it("reports, rather than parses for ever, expressions nested thousands deep", () => {
    const start = performance.now();
    const r = imported(`groups:\n- name: a\n  rules:\n${Array.from({ length: 50 }, (_, i) => `  - record: r${i}\n    expr: '${"x+".repeat(9_000)}1'\n`).join("")}  - {record: ok, expr: up}\n`);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.groups[0]!.rules).toHaveLength(1);
    expect(r.problems).toHaveLength(50);
    expect(r.problems[0]!.message).toMatch(/nests or chains more than 500 brackets and operators/);
  });

  it("imports a valid file of 1.9 MiB", () => {
    const base = imported(fixture(KUBE_PROMETHEUS)).groups;
    const copies = (n: number) => Array.from({ length: n }, (_, copy) => base.map((g) => ({ ...g, name: `${g.name}-${copy}` }))).flat();
    let n = Math.floor((1.9 * 1024 * 1024) / exportYaml(base, "rules-file", META).length);
    while (exportYaml(copies(n), "rules-file", META).length > 1.9 * 1024 * 1024) n--;
    const groups = copies(n);
    const text = exportYaml(groups, "rules-file", META);
    expect(text.length).toBeGreaterThan(1.8 * 1024 * 1024);
    const r = imported(text);
    expect(r.problems).toEqual([]);
    expect(r.groups).toEqual(groups);
    expect(ruleCount(r.groups)).toBe(ruleCount(groups));
  });
});

describe("round trips of real rule files", () => {
  it.each([KUBE_PROMETHEUS, ...AWESOME])("%s: import, export as a rule file, import again gives the same groups", (name) => {
    const text = fixture(name);
    const first = imported(text);
    expect(first.problems).toEqual([]);
    const counted = countRules(text);
    const rules = first.groups.flatMap((g) => g.rules);
    expect(rules.filter(isAlerting)).toHaveLength(counted.alerts);
    expect(rules.filter(isRecording)).toHaveLength(counted.records);

    const again = imported(exportYaml(first.groups, "rules-file", META));
    expect(again.groups).toEqual(first.groups);
    expect(again.problems).toEqual([]);
    expect(again.sources).toEqual([{ document: 1, kind: "RuleFile" }]);

    const asResource = imported(exportYaml(first.groups, "PrometheusRule", META));
    expect(asResource.groups).toEqual(first.groups);
    expect(asResource.sources).toEqual([{ document: 1, kind: "PrometheusRule", name: "rules" }]);
  });

  it("holds as many rules as the fixtures, counted independently", () => {
    expect(AWESOME.map((name) => countRules(fixture(name)))).toEqual([
      { alerts: 37, records: 0 },
      { alerts: 13, records: 0 },
      { alerts: 1, records: 0 },
    ]);
    expect(AWESOME.map((name) => ruleCount(imported(fixture(name)).groups))).toEqual([37, 13, 1]);
  });
});
