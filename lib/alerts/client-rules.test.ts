import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { validateAgainstSchema, type OpenApiSchema } from "../export/openapi-validate";
import { quoteLabelValue } from "../promql";
import { clientAlertProblem, clientAlerts, crossedOnAverage, DEFAULT_CLIENT_ALERT } from "./client-rules";

const CRD = parse(readFileSync(path.resolve("test/fixtures/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml"), "utf8"));
const SCHEMA: OpenApiSchema = CRD.spec.versions.find((v: { name: string }) => v.name === "v1").schema.openAPIV3Schema;

const HOSTILE = ['telemetry-agent', '<img src=x onerror=alert(1)>', 'a"b\\c\nd', '{{ printf "%s" "x" }}', 'yes', '0123', "ünïcødé ‮rtl", "x".repeat(5000)];

describe("alerts on one client", () => {
  it.each(HOSTILE)("makes a PrometheusRule valid for the CRD, whose YAML reads back exactly, for %j", (client) => {
    const out = clientAlerts({ ...DEFAULT_CLIENT_ALERT, client });
    const [doc] = parseAllDocuments(out.yaml).map((d) => d.toJS());
    expect(doc.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(doc.kind).toBe("PrometheusRule");
    expect(validateAgainstSchema({ PrometheusRule: SCHEMA }, "PrometheusRule", doc)).toEqual([]);
    expect(doc.spec.groups[0].rules).toEqual(out.rules);
    expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    // The client appears only as an escaped PromQL string, never in annotation text Prometheus would template.
    for (const r of out.rules) {
      expect(r.expr).toContain(`client=${quoteLabelValue(client)}`);
      for (const text of Object.values(r.annotations)) expect(text.includes(client)).toBe(false);
    }
  });

  it("escapes the client in PromQL", () => {
    const out = clientAlerts({ ...DEFAULT_CLIENT_ALERT, client: 'a"b\\c\nd' });
    expect(out.rules[0]!.expr).toBe('sum by (client) (rate(apiscope_audit_requests_total{client="a\\"b\\\\c\\nd"}[5m])) > 100');
  });

  it("writes a plain rule file when asked, and selects apiscope's own series", () => {
    const out = clientAlerts({ ...DEFAULT_CLIENT_ALERT, client: "kubectl", format: "rules-file", selector: 'job="apiscope"' });
    const doc = parse(out.yaml);
    expect(Object.keys(doc)).toEqual(["groups"]);
    expect(doc.groups[0].rules.map((r: { alert: string }) => r.alert)).toEqual(["APIServerClientRequestRateHigh", "APIServerClientShareHigh", "APIServerClientThrottled"]);
    expect(doc.groups[0].rules[1].expr).toBe(
      'sum by (client) (rate(apiscope_audit_requests_total{client="kubectl",job="apiscope"}[5m])) / ignoring (client) group_left sum(rate(apiscope_audit_requests_total{job="apiscope"}[5m])) > 0.3',
    );
  });

  it("says what is wrong with settings it cannot use", () => {
    expect(clientAlertProblem({ ...DEFAULT_CLIENT_ALERT, client: "" })).toMatch(/client/);
    expect(clientAlertProblem({ ...DEFAULT_CLIENT_ALERT, client: "a", for: "ten minutes" })).toMatch(/duration/);
    expect(clientAlertProblem({ ...DEFAULT_CLIENT_ALERT, client: "a", shareAbove: 2 })).toMatch(/share/);
    expect(clientAlertProblem({ ...DEFAULT_CLIENT_ALERT, client: "a", namespace: "Mon" })).toMatch(/namespace/);
    expect(clientAlertProblem({ ...DEFAULT_CLIENT_ALERT, client: "a", selector: 'job="x"}) or vector(1) #' })).toMatch(/selector/);
    expect(() => clientAlerts({ ...DEFAULT_CLIENT_ALERT, client: "a", rateAbove: -1 })).toThrow(/≥ 0/);
  });
});

describe("the thresholds against what the client did", () => {
  it("tells which alerts the window's averages cross", () => {
    expect(crossedOnAverage(DEFAULT_CLIENT_ALERT, { ratePerSecond: 33.4, share: 0.43, throttledPerSecond: 16 })).toEqual({
      APIServerClientRequestRateHigh: false,
      APIServerClientShareHigh: true,
      APIServerClientThrottled: true,
    });
  });
});
