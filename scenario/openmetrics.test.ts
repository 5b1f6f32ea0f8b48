// Structure rules that `promtool tsdb create-blocks-from openmetrics` relies on.

import { beforeAll, describe, expect, it } from "vitest";
import { SMALL_SCENARIO, generateToStrings, type GeneratedScenario } from "./testing/fixture";
import { parseOpenMetrics, type ParsedOpenMetrics, type ParsedSeries } from "./testing/openmetrics-reader";

let generated: GeneratedScenario;
let parsed: ParsedOpenMetrics;

beforeAll(() => {
  generated = generateToStrings(SMALL_SCENARIO, false);
  parsed = parseOpenMetrics(generated.openMetrics);
});

function familyOf(series: ParsedSeries): string {
  for (const suffix of ["_total", "_bucket", "_sum", "_count", ""]) {
    const base = suffix ? series.name.slice(0, -suffix.length) : series.name;
    if (series.name.endsWith(suffix) && parsed.types.has(base)) return base;
  }
  throw new Error(`no family for ${series.name}`);
}

describe("OpenMetrics output", () => {
  it("is well formed: # EOF last, no blank lines, contiguous families and series, ascending whole-second timestamps", () => {
    expect(parsed.problems).toEqual([]);
    expect(generated.openMetrics.endsWith("# EOF\n")).toBe(true);
    expect(generated.openMetrics).not.toContain("\n\n");
  });

  it("names counter families without _total and counter samples with it", () => {
    for (const [name, type] of parsed.types) {
      if (type === "counter") expect(name.endsWith("_total")).toBe(false);
    }
    for (const s of parsed.series.values()) {
      if (parsed.types.get(familyOf(s)) === "counter") expect(s.name.endsWith("_total")).toBe(true);
    }
  });

  it("has a sample at every scrape from window start to end for every series", () => {
    const { startUnixSeconds, endUnixSeconds, scrapeIntervalSeconds, samplesPerSeries } = generated.summary.window;
    const expected = Array.from({ length: samplesPerSeries }, (_, k) => startUnixSeconds + k * scrapeIntervalSeconds);
    expect(expected[expected.length - 1]).toBe(endUnixSeconds);
    const wanted = expected.join(",");
    const mismatched = [...parsed.series.values()].filter((s) => s.timestamps.join(",") !== wanted).map((s) => s.key);
    expect(mismatched).toEqual([]);
  });

  it("keeps the series count moderate and reports it in the summary", () => {
    expect(parsed.series.size).toBe(generated.summary.metrics.series);
    expect(parsed.series.size).toBeLessThan(6000);
    expect(parsed.types.size).toBe(generated.summary.metrics.families);
  });

  it("labels every apiserver series with job, instance and cluster", () => {
    const instances = new Set(generated.summary.apiserverInstances);
    const etcdMembers = new Set(["10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"]);
    const wrong = [...parsed.series.values()].filter((s) => {
      if (s.labels.cluster !== "prod-eu-1") return true;
      if (s.labels.job === "coredns") return !s.name.startsWith("coredns_") && s.name !== "up";
      if (s.labels.job === "etcd") {
        return !(/^etcd_(server|mvcc)_/.test(s.name) || s.name === "up") || !etcdMembers.has(s.labels.instance as string);
      }
      return s.labels.job !== "apiserver" || !instances.has(s.labels.instance as string);
    });
    expect(wrong.map((s) => s.key)).toEqual([]);
  });

  it("never decreases counters, histogram buckets, sums and counts, and starts them above zero", () => {
    const { window, incident } = generated.summary;
    const kIncident = (incident.startUnixSeconds - window.startUnixSeconds) / window.scrapeIntervalSeconds;
    const violations: string[] = [];
    let checked = 0;
    for (const s of parsed.series.values()) {
      const type = parsed.types.get(familyOf(s));
      if (type !== "counter" && type !== "histogram" && type !== "unknown") continue;
      checked++;
      for (let k = 1; k < s.values.length; k++) {
        if ((s.values[k] as number) < (s.values[k - 1] as number)) violations.push(`${s.key} decreases at ${k}`);
      }
      // Series that move before the incident carry days of history; counters start above zero, except
      // coredns_panics_total, which a healthy CoreDNS keeps at zero.
      const movedEarly = (s.values[kIncident] as number) > (s.values[0] as number);
      const mayStartAtZero = (type === "histogram" && !movedEarly) || s.name === "coredns_panics_total";
      if (!mayStartAtZero && !((s.values[0] as number) > 0)) {
        violations.push(`${s.key} starts at ${s.values[0]}`);
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(violations).toEqual([]);
  });

  it("keeps histogram buckets cumulative with +Inf equal to _count at every scrape", () => {
    const groups = new Map<string, { buckets: { le: number; s: ParsedSeries }[]; count?: ParsedSeries }>();
    for (const s of parsed.series.values()) {
      const isBucket = s.name.endsWith("_bucket");
      const isCount = s.name.endsWith("_count") && parsed.types.get(familyOf(s)) === "histogram";
      if (!isBucket && !isCount) continue;
      const { le, ...rest } = s.labels;
      const base = s.name.replace(/_(bucket|count)$/, "");
      const key = `${base}${JSON.stringify(Object.entries(rest).sort())}`;
      const group = groups.get(key) ?? { buckets: [] };
      if (isBucket) group.buckets.push({ le: le === "+Inf" ? Infinity : Number(le), s });
      else group.count = s;
      groups.set(key, group);
    }
    expect(groups.size).toBeGreaterThan(100);
    const violations: string[] = [];
    for (const [key, group] of groups) {
      group.buckets.sort((a, b) => a.le - b.le);
      const inf = group.buckets[group.buckets.length - 1];
      if (inf?.le !== Infinity) violations.push(`${key} has no +Inf bucket`);
      if (JSON.stringify(inf?.s.values) !== JSON.stringify(group.count?.values)) violations.push(`${key} +Inf != _count`);
      for (let b = 1; b < group.buckets.length; b++) {
        const lower = group.buckets[b - 1]?.s.values as number[];
        const upper = group.buckets[b]?.s.values as number[];
        lower.forEach((v, k) => {
          if ((upper[k] as number) < v) violations.push(`${key} not cumulative at le=${group.buckets[b]?.le}, sample ${k}`);
        });
      }
    }
    expect(violations).toEqual([]);
  });

  it("uses the Kubernetes and CoreDNS bucket layouts", () => {
    const les = (name: string) =>
      [...new Set([...parsed.series.values()].filter((s) => s.name === name).map((s) => s.labels.le))].sort(
        (a, b) => (a === "+Inf" ? Infinity : Number(a)) - (b === "+Inf" ? Infinity : Number(b)),
      );
    expect(les("apiserver_request_duration_seconds_bucket")).toEqual(
      "0.005 0.025 0.05 0.1 0.2 0.4 0.6 0.8 1 1.25 1.5 2 3 4 5 6 8 10 15 20 30 45 60 +Inf".split(" "),
    );
    expect(les("apiserver_flowcontrol_request_wait_duration_seconds_bucket")).toEqual(
      "0 0.005 0.02 0.05 0.1 0.2 0.5 1 2 5 10 15 30 +Inf".split(" "),
    );
    expect(les("apiserver_admission_webhook_admission_duration_seconds_bucket")).toEqual(
      "0.005 0.025 0.1 0.5 1 2.5 10 25 +Inf".split(" "),
    );
    // CoreDNS plugin.TimeBuckets.
    expect(les("coredns_dns_request_duration_seconds_bucket")).toEqual(
      "0.00025 0.0005 0.001 0.002 0.004 0.008 0.016 0.032 0.064 0.128 0.256 0.512 1.024 2.048 4.096 8.192 +Inf".split(" "),
    );
  });

  it("reports the nominal APF seats of the default configuration", () => {
    const seats = [...parsed.series.values()].filter(
      (s) => s.name === "apiserver_flowcontrol_nominal_limit_seats" && s.labels.instance === "10.0.0.1:6443",
    );
    const byLevel = Object.fromEntries(seats.map((s) => [s.labels.priority_level, s.values[0]]));
    expect(byLevel).toEqual(generated.summary.capacity.nominalSeats);
  });
});
