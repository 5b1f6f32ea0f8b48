import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const URL_ONLY = { APISCOPE_PROMETHEUS_URL: "http://prometheus.monitoring:9090/" };

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("configuration", () => {
  it("has working defaults beside the Prometheus URL", () => {
    const c = parseConfig(URL_ONLY);
    expect(c.prometheus).toEqual({ url: "http://prometheus.monitoring:9090", headers: {}, timeoutSeconds: 30, bearerToken: undefined, basicAuth: undefined });
    expect(c.listen).toEqual({ host: "127.0.0.1", port: 3000 });
    expect(c.apiserverSelector).toBe("");
    expect(c.scrapeIntervalSeconds).toBe(30);
    expect(c.inflightLimits).toEqual({ readOnly: 400, mutating: 200 });
  });
  it("reads every setting", () => {
    const c = parseConfig({
      APISCOPE_PROMETHEUS_URL: "https://thanos.example.com/prom",
      APISCOPE_PROMETHEUS_BEARER_TOKEN: "s3cret",
      APISCOPE_PROMETHEUS_HEADERS: '{"X-Scope-OrgID":"tenant-a"}',
      APISCOPE_QUERY_TIMEOUT: "1m",
      APISCOPE_LISTEN: "0.0.0.0:8080",
      APISCOPE_APISERVER_SELECTOR: '{job="apiserver"}',
      APISCOPE_SCRAPE_INTERVAL: "15s",
      APISCOPE_CACHE_TTL: "5s",
      APISCOPE_MAX_REQUESTS_INFLIGHT: "800",
      APISCOPE_MAX_MUTATING_REQUESTS_INFLIGHT: "400",
    });
    expect(c.prometheus.url).toBe("https://thanos.example.com/prom");
    expect(c.prometheus.bearerToken).toBe("s3cret");
    expect(c.prometheus.headers).toEqual({ "X-Scope-OrgID": "tenant-a" });
    expect(c.prometheus.timeoutSeconds).toBe(60);
    expect(c.listen).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(c.apiserverSelector).toBe('job="apiserver"');
    expect(c.scrapeIntervalSeconds).toBe(15);
    expect(c.cacheTtlSeconds).toBe(5);
    expect(c.inflightLimits).toEqual({ readOnly: 800, mutating: 400 });
  });
  it("keeps uploads until deleted unless their own retention is set", () => {
    const defaults = parseConfig(URL_ONLY).audit;
    expect(defaults.retentionSeconds).toBe(7 * 86400);
    expect(defaults.uploadRetentionSeconds).toBeNull();
    expect(parseConfig({ ...URL_ONLY, APISCOPE_AUDIT_UPLOAD_RETENTION: "off" }).audit.uploadRetentionSeconds).toBeNull();
    expect(parseConfig({ ...URL_ONLY, APISCOPE_AUDIT_UPLOAD_RETENTION: "90d" }).audit.uploadRetentionSeconds).toBe(90 * 86400);
    for (const bad of ["forever", "0", "10m", "-1d"]) {
      expect(problems({ ...URL_ONLY, APISCOPE_AUDIT_UPLOAD_RETENTION: bad }), bad).toEqual([expect.stringMatching(/APISCOPE_AUDIT_UPLOAD_RETENTION must be "off" or a duration/)]);
    }
  });
  it("reads secrets from files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "apiscope-cfg-"));
    writeFileSync(path.join(dir, "token"), "from-file\n");
    writeFileSync(path.join(dir, "pw"), "pw-from-file");
    expect(parseConfig({ ...URL_ONLY, APISCOPE_PROMETHEUS_BEARER_TOKEN_FILE: path.join(dir, "token") }).prometheus.bearerToken).toBe("from-file");
    const basic = parseConfig({ ...URL_ONLY, APISCOPE_PROMETHEUS_USERNAME: "sre", APISCOPE_PROMETHEUS_PASSWORD_FILE: path.join(dir, "pw") });
    expect(basic.prometheus.basicAuth).toEqual({ username: "sre", password: "pw-from-file" });
  });
  it("lists every problem with what to fix", () => {
    const found = problems({
      APISCOPE_PROMETHEUS_URL: "http://user:pw@prom:9090",
      APISCOPE_QUERY_TIMEOUT: "soon",
      APISCOPE_LISTEN: "3000",
      APISCOPE_APISERVER_SELECTOR: "job=apiserver",
      APISCOPE_PROMETHEUS_HEADERS: "X-Org: a",
      APISCOPE_PROMETHEUS_USERNAME: "sre",
    });
    expect(found.join("\n")).toMatch(/must not contain credentials: use APISCOPE_PROMETHEUS_USERNAME/);
    expect(found.join("\n")).toMatch(/APISCOPE_QUERY_TIMEOUT must be a duration/);
    expect(found.join("\n")).toMatch(/APISCOPE_LISTEN must be host:port/);
    expect(found.join("\n")).toMatch(/APISCOPE_APISERVER_SELECTOR must be PromQL label matchers/);
    expect(found.join("\n")).toMatch(/APISCOPE_PROMETHEUS_HEADERS must be a JSON object/);
    expect(found.join("\n")).toMatch(/set both APISCOPE_PROMETHEUS_USERNAME and APISCOPE_PROMETHEUS_PASSWORD/);
  });
  it("requires the Prometheus URL and says how to set it", () => {
    expect(problems({})).toEqual([expect.stringMatching(/APISCOPE_PROMETHEUS_URL is not set: give the base URL/)]);
    expect(problems({ APISCOPE_PROMETHEUS_URL: "prometheus:9090" })).toEqual([expect.stringMatching(/http:\/\/ or https:\/\/|not a URL/)]);
  });
  it("never echoes a secret in its messages", () => {
    const err = (() => {
      try {
        parseConfig({ ...URL_ONLY, APISCOPE_PROMETHEUS_BEARER_TOKEN: "tok-123", APISCOPE_PROMETHEUS_USERNAME: "u", APISCOPE_PROMETHEUS_PASSWORD: "pw-456" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/not both/);
    expect(err?.message).not.toMatch(/tok-123|pw-456/);
  });
});
