import { describe, expect, it } from "vitest";
import { decodeDraft, draftGroup, EMPTY_DRAFT, encodeDraft, resolveDraftRule, type Draft } from "./draft";
import { draftFromImport } from "./draft-import";
import { CLIENT_TEMPLATE_IDS, DRAFT_PARAM, LEVEL_TEMPLATE_IDS, WEBHOOK_TEMPLATE_IDS, alertNameFrom, draftHref, toBase64Url } from "./draft-link";
import { isAlerting, isRecording } from "./rules";
import { templateById } from "./templates";

const ctx = { apiserverSelector: 'job="apiserver"', names: null };

describe("the draft in the URL", () => {
  it("round-trips every field, hostile text included", () => {
    const draft: Draft = {
      rules: [
        { t: "apf-rejections", p: { rate: 2, priorityLevel: 'x"}{{ template "y" }}' } },
        { name: "Mine ✓", expr: 'sum(rate(x{a="\\"ü"}[5m])) > 1', for: "2m", keep: "5m", sev: "critical", labels: { team: "a" }, ann: { summary: "{{ $labels.a }}" } },
      ],
      records: [{ record: "a:b", expr: "sum(x)", labels: { verb: "read" } }],
      sel: 1,
      interval: "1m",
      format: "rules-file",
      meta: { name: "n", namespace: "ns", labels: { release: "kps" } },
    };
    expect(decodeDraft(encodeDraft(draft))).toEqual(draft);
    // Only what differs from the defaults travels.
    expect(encodeDraft({ ...EMPTY_DRAFT, rules: [{ t: "apf-rejections" }] }).length).toBeLessThan(60);
  });

  it("drops what is malformed instead of failing", () => {
    expect(decodeDraft(null)).toEqual(EMPTY_DRAFT);
    expect(decodeDraft("%%%not-base64")).toEqual(EMPTY_DRAFT);
    expect(decodeDraft(toBase64Url("[1,2]"))).toEqual(EMPTY_DRAFT);
    const odd = decodeDraft(toBase64Url(JSON.stringify({ rules: [{ t: 5, expr: "up", sev: "page", p: { a: {} } }, "x", null], sel: 9, format: "zip", interval: 3 })));
    expect(odd.rules).toEqual([{ expr: "up" }]);
    expect(odd.sel).toBe(0);
    expect(odd.format).toBe("PrometheusRule");
    expect(odd.interval).toBe("30s");
  });

  it("links from the pages name templates that exist, with the parameters they set", () => {
    for (const [ids, key] of [[CLIENT_TEMPLATE_IDS, "client"], [WEBHOOK_TEMPLATE_IDS, "webhook"], [LEVEL_TEMPLATE_IDS, "priorityLevel"]] as const) {
      for (const id of ids) expect(templateById(id)?.params.some((p) => p.key === key && p.kind === "labelValue"), `${id} has ${key}`).toBe(true);
    }
    const href = draftHref([{ t: "client-share", p: { client: "kube-agent/1.0" } }], new URLSearchParams({ from: "1000", to: "2000", refresh: "30s" }));
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/alerts");
    expect([url.searchParams.get("from"), url.searchParams.get("to"), url.searchParams.get("refresh")]).toEqual(["1000", "2000", null]);
    expect(decodeDraft(url.searchParams.get(DRAFT_PARAM)).rules).toEqual([{ t: "client-share", p: { client: "kube-agent/1.0" } }]);
  });

  it("names an alert after a panel's title", () => {
    expect(alertNameFrom("Requests by code")).toBe("RequestsByCode");
    expect(alertNameFrom("p99 latency (s)")).toBe("P99LatencyS");
    expect(alertNameFrom("5xx ratio")).toBe("Alert5xxRatio");
  });
});

describe("resolving draft rules", () => {
  it("builds a template with its defaults, and the parameters change the expression", () => {
    const r = resolveDraftRule({ t: "apf-rejections", p: { rate: 5, priorityLevel: "workload-low" } }, ctx);
    expect(r.problems).toEqual([]);
    expect(r.rule!.alert).toBe("KubeAPFRequestsRejected");
    expect(r.rule!.expr).toContain('priority_level="workload-low"');
    expect(r.rule!.expr).toMatch(/> 5$/);
    expect(r.rule!.labels.severity).toBe("warning");
    expect(r.edited).toBe(false);
  });

  it("keeps an edited expression over the template's, and says the parameters no longer apply", () => {
    const r = resolveDraftRule({ t: "apf-rejections", p: { rate: 5 }, expr: "up == 0" }, ctx);
    expect(r.rule!.expr).toBe("up == 0");
    expect(r.edited).toBe(true);
  });

  it("refuses what cannot be exported: a bad parameter, a parse error, metrics this Prometheus lacks", () => {
    expect(resolveDraftRule({ t: "apf-rejections", p: { rate: "lots" } }, ctx).problems[0]).toMatch(/rate/);
    const bad = resolveDraftRule({ name: "X", expr: "sum(rate(x[5m]) >" }, ctx);
    expect(bad.rule).toBeNull();
    expect(bad.problems[0]).toMatch(/does not parse/);
    expect(bad.shown.expr).toBe("sum(rate(x[5m]) >");
    expect(resolveDraftRule({ t: "no-such-template" }, ctx).problems[0]).toMatch(/no template/);
  });

  it("shows a template whose metrics this Prometheus lacks, in the newest names, and leaves it out of the export", () => {
    const lacking = resolveDraftRule({ t: "client-throttled", p: { client: "agent" } }, { ...ctx, names: new Set(["up"]) });
    expect(lacking.rule).toBeNull();
    expect(lacking.problems).toEqual([]);
    expect(lacking.missing.join(" ")).toContain("apiscope_audit_requests_total");
    expect(lacking.notes[0]).toMatch(/left out of the export.*scrape apiscope's \/metrics/);
    expect(lacking.shown.alert).toBe("APIServerClientThrottled");
    expect(lacking.shown.expr).toContain('client="agent"');
  });

  it("puts each recording rule once in the group, before the alerts", () => {
    const draft: Draft = { ...EMPTY_DRAFT, rules: [{ t: "apiserver-error-budget-burn-fast" }, { t: "apiserver-error-budget-burn-slow" }] };
    const resolved = draft.rules.map((r) => resolveDraftRule(r, ctx));
    expect(resolved.every((r) => r.problems.length === 0)).toBe(true);
    const group = draftGroup(draft, resolved);
    const records = group.rules.filter(isRecording).map((r) => JSON.stringify([r.record, r.labels]));
    expect(new Set(records).size).toBe(records.length);
    const firstAlert = group.rules.findIndex(isAlerting);
    expect(group.rules.slice(firstAlert).every(isAlerting)).toBe(true);
  });

  it("takes imported rules in as editable rules, their recording rules into the draft", () => {
    const d = draftFromImport(EMPTY_DRAFT, [
      {
        name: "g",
        interval: "1m",
        rules: [
          { record: "r:x", expr: "sum(x)", labels: {} },
          { alert: "A", expr: "r:x > 1", for: "5m", keepFiringFor: "", labels: { severity: "critical", team: "t" }, annotations: { summary: "s" } },
          { alert: "B", expr: "up == 0", for: "", keepFiringFor: "", labels: { severity: "page" }, annotations: {} },
        ],
      },
    ]);
    expect(d.interval).toBe("1m");
    expect(d.records).toEqual([{ record: "r:x", expr: "sum(x)", labels: {} }]);
    expect(d.rules[0]).toEqual({ name: "A", expr: "r:x > 1", for: "5m", keep: "", sev: "critical", labels: { team: "t" }, ann: { summary: "s" } });
    const b = resolveDraftRule(d.rules[1]!, ctx);
    expect(b.rule!.labels).toEqual({ severity: "page" });
  });
});

describe("templates in a rule's labels and annotations", () => {
  it("block the export when one does not parse, naming it", () => {
    const r = resolveDraftRule({ name: "A", expr: "up == 0", ann: { summary: "{{ $labels.job }", description: "ok {{ $value }}" }, labels: { team: "{{ nope }}" } }, ctx);
    expect(r.rule).toBeNull();
    expect(r.problems.map((p) => p.split(":")[0]).sort()).toEqual(["summary", "team"]);
  });
});
