import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { quoteLabelValue } from "../../promql";
import { metricNames, selectors, splitThreshold, syntaxProblem } from "../promql-ast";
import { buildAlert, defaultParams, paramProblem, templateById, TEMPLATES } from "./index";
import { AREAS, type AlertTemplate, type TemplateContext } from "./types";

const VERSIONS = ["1.17", "1.22", "1.27", "1.31", "1.34"] as const;

/** Metric names of a kube-apiserver dump as Prometheus has them after scraping it (plus the `up` it adds). */
function dumpNames(version: string): Set<string> {
  const file = path.resolve("test/fixtures/nri-kubernetes", `${version.replace(".", "_")}.metrics.gz`);
  const names = new Set<string>(["up"]);
  for (const line of gunzipSync(readFileSync(file)).toString("utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (m) names.add(m[0]);
  }
  return names;
}
const DUMPS = Object.fromEntries(VERSIONS.map((v) => [v, dumpNames(v)])) as Record<(typeof VERSIONS)[number], Set<string>>;

const SELECTOR = 'job="apiserver"';
const ctx = (names: ReadonlySet<string> | null): TemplateContext => ({ apiserverSelector: SELECTOR, names });
const OPTS = { for: "10m", keepFiringFor: "", severity: "warning" as const, labels: {} };

function build(t: AlertTemplate, names: ReadonlySet<string> | null, values = {}) {
  const c = ctx(names);
  return t.build({ ...defaultParams(t, c), ...values }, c);
}

/** The metrics an expression and its records read, without the series the records themselves produce. */
function readMetrics(expr: string, records: Array<{ record: string; expr: string }>): string[] {
  const recorded = new Set(records.map((r) => r.record));
  return [...new Set([expr, ...records.map((r) => r.expr)].flatMap(metricNames))].filter((m) => !recorded.has(m));
}

const byId = (id: string) => {
  const t = templateById(id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};
const exprOf = (id: string, names: ReadonlySet<string> | null, values = {}) => {
  const b = build(byId(id), names, values);
  if (!b.ok) throw new Error(`${id}: missing ${b.missing.join(", ")}`);
  return b;
};

describe("the template library", () => {
  it("has at least 32 templates with unique ids and alert names, at least 3 per area", () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(32);
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    expect(new Set(TEMPLATES.map((t) => t.alert)).size).toBe(TEMPLATES.length);
    for (const t of TEMPLATES) {
      expect(t.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(t.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    for (const area of AREAS) expect(TEMPLATES.filter((t) => t.area === area.id).length, area.id).toBeGreaterThanOrEqual(3);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s is documented: texts, sources, versions, a selector", (_, t) => {
    expect(t.summary.length).toBeGreaterThan(10);
    expect(t.runbook.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 0).length).toBeGreaterThanOrEqual(3);
    expect(t.sources.length).toBeGreaterThan(0);
    for (const v of t.versions) expect(VERSIONS).toContain(v);
    expect(t.params.find((p) => p.key === "selector")?.kind).toBe("matchers");
    if (t.thresholdParam) expect(t.params.map((p) => p.key)).toContain(t.thresholdParam);
    // Only the alert's labels and value are templated: nothing else Prometheus would run.
    for (const text of [t.summary, t.description]) {
      for (const action of text.match(/\{\{.*?\}\}/g) ?? []) {
        expect(action).toMatch(/^\{\{ \$(labels\.[a-z_]+|value( \| humanize(Percentage|Duration)?)?) \}\}$/);
      }
    }
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s builds with defaults and unknown names; its PromQL parses", (_, t) => {
    const b = build(t, null);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(syntaxProblem(b.expr)).toBeNull();
    for (const r of b.records) {
      expect(r.record).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      for (const k of Object.keys(r.labels)) expect(k).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      expect(syntaxProblem(r.expr)).toBeNull();
    }
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s reads only what each claimed dump has, and claims every dump it fits", (_, t) => {
    for (const version of VERSIONS) {
      const names = DUMPS[version];
      const b = build(t, names);
      const fits = b.ok && readMetrics(b.expr, b.records).every((m) => names.has(m));
      if (t.versions.includes(version)) {
        expect(b.ok, `${version}: ${b.ok ? "" : b.missing.join(", ")}`).toBe(true);
        if (b.ok) expect(readMetrics(b.expr, b.records).filter((m) => !names.has(m)), version).toEqual([]);
      } else {
        expect(fits, `${version} fits but is not claimed`).toBe(false);
      }
    }
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s reports the metrics a Prometheus without any lacks", (_, t) => {
    const b = build(t, new Set());
    expect(b.ok).toBe(false);
    if (b.ok) return;
    expect(b.missing.length).toBeGreaterThan(0);
    for (const entry of b.missing) for (const name of entry.split(" or ")) expect(name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    // What it lacks is what it would read.
    const full = build(t, null);
    if (full.ok) {
      const read = readMetrics(full.expr, full.records);
      for (const entry of b.missing) expect(entry.split(" or ").some((n) => read.includes(n)), entry).toBe(true);
    }
  });
});

describe("version tolerance", () => {
  it("reads in-flight requests by the legacy requestKind label on 1.17 and by request_kind later", () => {
    expect(exprOf("apiserver-inflight-near-limit", DUMPS["1.17"]).expr).toContain('"requestKind"');
    for (const v of ["1.22", "1.34"] as const) expect(exprOf("apiserver-inflight-near-limit", DUMPS[v]).expr).not.toContain("requestKind");
  });

  it("divides APF seats by request_concurrency_limit on 1.22 and by nominal_limit_seats from 1.27, and has no APF on 1.17", () => {
    const m = (v: (typeof VERSIONS)[number]) => metricNames(exprOf("apf-seats-near-limit", DUMPS[v]).expr);
    expect(m("1.22")).toEqual(["apiserver_flowcontrol_current_executing_requests", "apiserver_flowcontrol_request_concurrency_limit"]);
    expect(m("1.27")).toEqual(["apiserver_flowcontrol_current_executing_requests", "apiserver_flowcontrol_nominal_limit_seats"]);
    expect(m("1.34")).toEqual(["apiserver_flowcontrol_current_executing_seats", "apiserver_flowcontrol_nominal_limit_seats"]);
    expect(build(byId("apf-seats-near-limit"), DUMPS["1.17"])).toEqual({
      ok: false,
      missing: ["apiserver_flowcontrol_current_executing_seats or apiserver_flowcontrol_current_executing_requests", "apiserver_flowcontrol_nominal_limit_seats or apiserver_flowcontrol_request_concurrency_limit"],
    });
  });

  it("groups etcd latency by type before 1.34 and by group and resource from 1.34", () => {
    expect(exprOf("etcd-request-latency-p99", DUMPS["1.31"]).expr).toContain("by (cluster, operation, type, le)");
    expect(exprOf("etcd-request-latency-p99", DUMPS["1.34"]).expr).toContain("by (cluster, operation, group, resource, le)");
  });

  it("counts objects with each version's metric, and reads each version's latency histogram for the burn rates", () => {
    expect(metricNames(exprOf("etcd-object-count-growth", DUMPS["1.17"]).expr)).toEqual(["etcd_object_counts"]);
    expect(metricNames(exprOf("etcd-object-count-growth", DUMPS["1.27"]).expr)).toEqual(["apiserver_storage_objects"]);
    expect(metricNames(exprOf("etcd-object-count-growth", DUMPS["1.34"]).expr)).toEqual(["apiserver_resource_objects"]);
    const histogram = (v: (typeof VERSIONS)[number]) => readMetrics("vector(0)", exprOf("apiserver-error-budget-burn-fast", DUMPS[v]).records).find((m) => m.endsWith("_bucket"));
    expect(histogram("1.17")).toBe("apiserver_request_duration_seconds_bucket");
    expect(histogram("1.27")).toBe("apiserver_request_sli_duration_seconds_bucket");
    expect(metricNames(exprOf("apiserver-longrunning-surge", DUMPS["1.22"]).expr)).toEqual(["apiserver_longrunning_gauge"]);
  });
});

describe("the burn-rate templates", () => {
  it("read the mixin's burn-rate records for both windows of each pair, read and write", () => {
    const fast = exprOf("apiserver-error-budget-burn-fast", null);
    expect(fast.records.map((r) => `${r.record}{verb=${r.labels.verb}}`)).toEqual(
      ["1h", "5m", "6h", "30m"].flatMap((w) => [`apiserver_request:burnrate${w}{verb=read}`, `apiserver_request:burnrate${w}{verb=write}`]),
    );
    expect(metricNames(fast.expr).sort()).toEqual(["apiserver_request:burnrate1h", "apiserver_request:burnrate30m", "apiserver_request:burnrate5m", "apiserver_request:burnrate6h"]);
    expect(fast.expr).toContain("(14.4 * (1 - 0.99))");
    const slow = exprOf("apiserver-error-budget-burn-slow", null, { objective: 0.995 });
    expect(new Set(slow.records.map((r) => r.record))).toEqual(new Set(["1d", "2h", "3d", "6h"].map((w) => `apiserver_request:burnrate${w}`)));
    expect(slow.expr).toContain("(1 * (1 - 0.995))");
    // The selector reaches every selector of the records.
    for (const r of slow.records) for (const s of selectors(r.expr).filter((x) => x.metric !== "")) expect(s.matchers).toContainEqual({ name: "job", op: "=", value: "apiserver" });
  });
});

describe("thresholds", () => {
  it.each(TEMPLATES.filter((t) => t.thresholdParam).map((t) => [t.id, t] as const))("%s compares with its threshold parameter", (_, t) => {
    const spec = t.params.find((p) => p.key === t.thresholdParam)!;
    const def = Number(spec.default);
    const other = spec.max !== undefined ? (def + spec.max) / 2 : def * 2 + 1.5;
    for (const value of [def, other]) {
      const b = build(t, null, { [spec.key]: value });
      expect(b.ok).toBe(true);
      if (b.ok) expect(splitThreshold(b.expr)?.value).toBe(value);
    }
  });
});

describe("hostile input", () => {
  const EVIL = 'x"} or vector(1) # \\ \n {{ template "evil" }} {{ $labels.client }}';
  const clientTemplates = TEMPLATES.filter((t) => t.params.some((p) => p.key === "client"));

  it("has the client parameter on the per-client templates", () => {
    expect(clientTemplates.map((t) => t.alert)).toEqual(expect.arrayContaining(["APIServerClientRequestRateHigh", "APIServerClientShareHigh", "APIServerClientThrottled"]));
  });

  it.each(clientTemplates.map((t) => [t.id, t] as const))("%s puts a hostile client only into an escaped PromQL string", (_, t) => {
    const out = buildAlert(t, { client: EVIL }, ctx(null), OPTS);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(syntaxProblem(out.rule.expr)).toBeNull();
    expect(out.rule.expr).toContain(`client=${quoteLabelValue(EVIL)}`);
    const clientMatchers = selectors(out.rule.expr).flatMap((s) => s.matchers.filter((m) => m.name === "client" && m.op === "="));
    expect(clientMatchers.length).toBeGreaterThan(0);
    for (const m of clientMatchers) expect(m.value).toBe(EVIL);
    for (const text of Object.values(out.rule.annotations)) {
      expect(text).not.toContain("evil");
      expect(text).not.toContain("vector(1)");
    }
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s escapes a hostile selector value and rejects a malformed one", (_, t) => {
    const selector = 'namespace="a\\"b{{ template \\"x\\" }}\\\\"';
    const out = buildAlert(t, { selector }, ctx(null), OPTS);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(syntaxProblem(out.rule.expr)).toBeNull();
    for (const r of out.records) expect(syntaxProblem(r.expr)).toBeNull();
    for (const s of selectors(out.rule.expr).filter((x) => x.metric !== "" && !x.metric.includes(":"))) {
      expect(s.matchers).toContainEqual({ name: "namespace", op: "=", value: 'a"b{{ template "x" }}\\' });
    }
    for (const text of Object.values(out.rule.annotations)) expect(text).not.toContain("template");
    for (const bad of ['job="x"}) or vector(1) #', "job=apiserver", 'job="x", 1x="y"']) {
      expect(() => buildAlert(t, { selector: bad }, ctx(null), OPTS)).toThrow(RangeError);
      expect(() => buildAlert(t, { selector: bad }, ctx(null), OPTS)).toThrow(/selector/);
    }
  });
});

describe("buildAlert", () => {
  const t = byId("apiserver-5xx-ratio");

  it("fills in defaults, labels, annotations and the runbook link", () => {
    const out = buildAlert(t, { ratio: 0.05 }, ctx(null), { for: "5m", keepFiringFor: "10m", severity: "critical", labels: { team: "platform" }, runbookBase: "https://apiscope.example/runbooks" });
    expect(out).toEqual({
      ok: true,
      rule: {
        alert: "KubeAPIServer5xxRatioHigh",
        expr: 'sum by (cluster, instance) (rate(apiserver_request_total{code=~"5..",job="apiserver"}[5m])) / sum by (cluster, instance) (rate(apiserver_request_total{job="apiserver"}[5m])) > 0.05',
        for: "5m",
        keepFiringFor: "10m",
        labels: { severity: "critical", team: "platform" },
        annotations: { summary: t.summary, description: t.description, runbook_url: "https://apiscope.example/runbooks#apiserver-5xx-ratio" },
      },
      records: [],
    });
    const plain = buildAlert(t, {}, ctx(null), OPTS);
    expect(plain.ok && Object.keys(plain.rule.annotations)).toEqual(["summary", "description"]);
  });

  it("says which metrics are missing instead of building", () => {
    expect(buildAlert(t, {}, ctx(new Set(["up"])), OPTS)).toEqual({ ok: false, missing: ["apiserver_request_total"] });
  });

  it("throws RangeError naming the invalid parameter", () => {
    expect(() => buildAlert(t, { ratio: Number.NaN }, ctx(null), OPTS)).toThrow(/ratio/);
    expect(() => buildAlert(t, { ratio: Number.POSITIVE_INFINITY }, ctx(null), OPTS)).toThrow(RangeError);
    expect(() => buildAlert(t, { ratio: 2 }, ctx(null), OPTS)).toThrow(/ratio.*at most 1/);
    expect(() => buildAlert(t, { window: "5 minutes" }, ctx(null), OPTS)).toThrow(/window/);
    expect(() => buildAlert(t, { window: "0s" }, ctx(null), OPTS)).toThrow(/window/);
    expect(() => buildAlert(t, {}, ctx(null), { ...OPTS, for: "ten" })).toThrow(/for/);
    expect(() => buildAlert(byId("client-request-rate"), { client: 42 }, ctx(null), OPTS)).toThrow(/client/);
    expect(paramProblem(t, { window: "1h" })).toBeNull();
    expect(paramProblem(t, { window: "1 h" })).toMatch(/^window/);
    expect(paramProblem(t, { ratio: "0.2" })).toBeNull();
  });

  it("defaults the selector to the configured API server selector only for templates reading the API servers", () => {
    const c = { apiserverSelector: 'job="kube-apiserver"', names: null };
    for (const tpl of TEMPLATES) {
      const own = tpl.area === "apiserver" || tpl.area === "apf" || tpl.area === "webhooks" || tpl.id === "etcd-request-latency-p99" || tpl.id === "etcd-object-count-growth";
      expect(defaultParams(tpl, c).selector, tpl.id).toBe(own ? 'job="kube-apiserver"' : tpl.params.find((p) => p.key === "selector")!.default);
    }
    expect(defaultParams(byId("etcd-no-leader"), c).selector).toBe('job=~".*etcd.*"');
    expect(defaultParams(byId("coredns-panics"), c).selector).toBe('job=~"coredns|kube-dns"');
    expect(defaultParams(byId("client-share"), c)).toMatchObject({ selector: "", client: "" });
  });

  it("selects the API server targets when no selector is given, since up and process metrics exist for every target", () => {
    const c = { apiserverSelector: "", names: null };
    expect(exprOf("apiserver-down", null, { selector: "" }).expr).toBe('absent(up{job=~"apiserver|kube-apiserver"})');
    expect(buildAlert(byId("apiserver-instance-unreachable"), {}, c, OPTS)).toMatchObject({ ok: true, rule: { expr: 'up{job=~"apiserver|kube-apiserver"} == 0' } });
  });

  it("writes the per-client rules for one client or, without a client, for every named client", () => {
    expect(exprOf("client-request-rate", null, { client: "kubectl" }).expr).toBe('sum by (cluster, client) (rate(apiscope_audit_requests_total{client="kubectl"}[5m])) > 100');
    expect(exprOf("client-share", null, { selector: 'job="apiscope"' }).expr).toBe(
      'sum by (cluster, client) (rate(apiscope_audit_requests_total{client!="other",job="apiscope"}[5m])) / ignoring (client) group_left sum by (cluster) (rate(apiscope_audit_requests_total{job="apiscope"}[5m])) > 0.3',
    );
    const fresh = exprOf("client-new-large-share", null).expr;
    expect(fresh).toContain("unless on (cluster, client)");
    expect(fresh).toContain("[10m] offset 1d");
  });
});
