import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { StateSpan } from "./backtest";
import {
  REGRESSION_LIMITS,
  alertsFiringAt,
  chooseEvalTimes,
  encodeSeriesValues,
  promDuration,
  regressionStep,
  regressionTestYaml,
  seriesNotation,
  testedRuleFile,
  type RegressionTestInput,
} from "./regression";
import type { AlertingRule, RuleGroup } from "./rules";

/** promtool's reading of expanding notation (promql/parser series_item): runs by repeated float64 addition. */
function decode(text: string): Array<number | null> {
  const out: Array<number | null> = [];
  const num = (s: string) => (s === "Inf" ? Infinity : s === "-Inf" ? -Infinity : Number(s));
  for (const item of text.split(" ").filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if (item === "_") out.push(null);
    else if ((m = item.match(/^_x(\d+)$/))) for (let i = 0; i < Number(m[1]); i++) out.push(null);
    else if ((m = item.match(/^(-?[^+x-][^x]*?)([+-][^x]+)x(\d+)$/))) {
      let v = num(m[1]!);
      const step = num(m[2]!);
      for (let i = 0; i <= Number(m[3]); i++, v += step) out.push(v);
    } else if ((m = item.match(/^(.+)x(\d+)$/))) for (let i = 0; i <= Number(m[2]); i++) out.push(num(m[1]!));
    else out.push(num(item));
  }
  return out;
}

describe("promtool's expanding notation", () => {
  it.each<[Array<number | null>, string]>([
    [[], ""],
    [[1, 2, 3, 4], "1+1x3"],
    [[5, 5, 5], "5x2"],
    [[10, 7, 4, 1], "10-3x3"],
    [[1, null, null, null, 2, 2], "1 _x3 2 2"],
    [[null], "_"],
    [[null, null, 3], "_x2 3"],
    [[0.1, 0.2, 0.30000000000000004], "0.1+0.1x2"],
    [[0.1, 0.2, 0.3], "0.1 0.2 0.3"],
    [[1e21, 2e21], "1e+21 2e+21"],
    [[1.5e-7, -0], "1.5e-7 0"],
    [[NaN, Infinity, -Infinity], "NaN Inf -Inf"],
  ])("%j → %s", (values, want) => {
    expect(encodeSeriesValues(values)).toBe(want);
  });

  it("reads back exactly, run compression included, for counters, gauges and gaps", () => {
    let s = 42;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let n = 0; n < 300; n++) {
      const values: Array<number | null> = [];
      let v = Math.floor(rnd() * 1000);
      while (values.length < 80) {
        const kind = Math.floor(rnd() * 5);
        const len = 1 + Math.floor(rnd() * 10);
        for (let i = 0; i < len; i++) {
          if (kind === 0) values.push(null);
          else if (kind === 1) values.push(v);
          else if (kind === 2) values.push((v += 30));
          else if (kind === 3) values.push((v += rnd() * 3));
          else values.push(rnd() * 10 ** (Math.floor(rnd() * 30) - 15));
        }
      }
      const text = encodeSeriesValues(values);
      expect(decode(text)).toEqual(values);
    }
  });

  it("compresses steady counters and constant gauges", () => {
    const counter = Array.from({ length: 100 }, (_, i) => 1000 + i * 60);
    expect(encodeSeriesValues(counter)).toBe("1000+60x99");
    expect(encodeSeriesValues([...Array(50).fill(0), ...Array(10).fill(null)])).toBe("0x49 _x10");
  });
});

describe("the sample step", () => {
  it("is the interval while the window fits, then the smallest multiple that does", () => {
    expect(regressionStep(42 * 60, 30)).toBe(30);
    expect(regressionStep(86_400, 30)).toBe(60);
    expect(regressionStep(7 * 86_400, 15)).toBe(315);
    for (const [w, i] of [[86_400, 30], [7 * 86_400, 15], [59_970, 30], [59_999, 30], [60_000, 30], [0, 30]] as const) {
      const step = regressionStep(w, i);
      expect(step % i).toBe(0);
      expect(Math.floor(w / step) + 1).toBeLessThanOrEqual(REGRESSION_LIMITS.samplesPerSeries);
      if (step > i) expect(Math.floor(w / (step - i)) + 1).toBeGreaterThan(REGRESSION_LIMITS.samplesPerSeries);
    }
  });
});

const MIN = 60_000;
const span = (state: StateSpan["state"], from: number, to: number, ended = true): StateSpan => ({ state, fromMs: from * MIN, toMs: to * MIN, ended });
const minutes = (n: number) => Array.from({ length: n }, (_, i) => i * MIN);

describe("choosing evaluation times", () => {
  // One alert pending 10–12 then firing 12–30; another firing 40–45. Evaluations every minute, 0–59.
  const backtest = {
    series: [
      { labels: { priority_level: "workload-low" }, spans: [span("pending", 10, 12), span("firing", 12, 30)] },
      { labels: { priority_level: "global-default" }, spans: [span("firing", 40, 45)] },
    ],
  };
  const stableAt = (t: number, margin: number) =>
    backtest.series.every((s) => s.spans.every((x) => Math.abs(x.fromMs - t) >= margin && (!x.ended || Math.abs(x.toMs - t) >= margin)));

  it("brackets each firing span with stable times inside it, and picks quiet times before and after", () => {
    const times = chooseEvalTimes(backtest, minutes(60), { marginMs: 2 * MIN, max: 20 });
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times).toContain(8 * MIN); // the last time 2 minutes clear of the pending span
    expect(times).toEqual(expect.arrayContaining([14 * MIN, 21 * MIN, 28 * MIN])); // first, middle and last of 12–30
    expect(times).toEqual(expect.arrayContaining([42 * MIN, 43 * MIN])); // 40–45 leaves 42 and 43
    expect(times).toContain(47 * MIN); // first quiet time after everything resolved
    for (const t of times) {
      expect(stableAt(t, 2 * MIN)).toBe(true);
      expect(t).toBeGreaterThanOrEqual(2 * MIN);
      expect(t).toBeLessThanOrEqual(57 * MIN);
    }
    // The pending span (2 minutes) is too short to hold a time 2 minutes clear of both ends.
    expect(times.some((t) => t >= 10 * MIN && t < 12 * MIN)).toBe(false);
  });

  it("keeps firing moments first when capped", () => {
    expect(chooseEvalTimes(backtest, minutes(60), { marginMs: 2 * MIN, max: 2 })).toEqual([14 * MIN, 42 * MIN]);
    expect(chooseEvalTimes(backtest, minutes(60), { marginMs: 2 * MIN, max: 3 })).toEqual([8 * MIN, 14 * MIN, 42 * MIN]);
  });

  it("picks a pending moment when the pending span is long enough", () => {
    const b = { series: [{ spans: [span("pending", 10, 20), span("firing", 20, 30)] }] };
    const times = chooseEvalTimes(b, minutes(40), { marginMs: 2 * MIN });
    expect(times).toEqual(expect.arrayContaining([15 * MIN, 22 * MIN, 25 * MIN, 28 * MIN]));
  });

  it("leaves out a pending span open at the window start, and keep_firing_for after it", () => {
    const b = { series: [{ spans: [span("pending", 0, 5), span("firing", 5, 20), span("firing", 30, 40, false)] }] };
    const times = chooseEvalTimes(b, minutes(40), { marginMs: 2 * MIN, keepFiringForMs: 3 * MIN });
    expect(Math.min(...times)).toBeGreaterThanOrEqual(10 * MIN); // 5 + 3 keep + 2 margin
    // A firing span open at the start is certain: 0 pending would not exist, firing from 0 is kept.
    const f = { series: [{ spans: [span("firing", 0, 20)] }] };
    expect(chooseEvalTimes(f, minutes(40), { marginMs: 2 * MIN })).toContain(10 * MIN);
  });

  it("spreads a few quiet times when nothing fired", () => {
    const times = chooseEvalTimes({ series: [] }, minutes(60), { marginMs: 2 * MIN });
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect(times.length).toBeLessThanOrEqual(6);
  });

  it("says which alerts fire when", () => {
    expect(alertsFiringAt(backtest, 21 * MIN)).toEqual([{ labels: { priority_level: "workload-low" } }]);
    expect(alertsFiringAt(backtest, 11 * MIN)).toEqual([]);
    expect(alertsFiringAt(backtest, 30 * MIN)).toEqual([]);
  });
});

const GROUPS: RuleGroup[] = [
  {
    name: "apiserver",
    interval: "30s",
    rules: [
      { record: "apf:rejected:rate2m", expr: "sum by (priority_level) (rate(apiserver_flowcontrol_rejected_requests_total[2m]))", labels: {} },
      {
        alert: "APFRejections",
        expr: "apf:rejected:rate2m > 0.1",
        for: "2m",
        keepFiringFor: "",
        labels: { severity: "warning", team: "{{ $labels.priority_level }}-oncall" },
        annotations: { summary: "{{ $value | humanize }} rejections/s" },
      },
    ],
  },
];

const INPUT: RegressionTestInput = {
  ruleFileName: "rules.yaml",
  groups: GROUPS,
  intervalSeconds: 30,
  stepSeconds: 30,
  startSeconds: 1_700_000_000,
  inputSeries: [
    { labels: { __name__: "apiserver_flowcontrol_rejected_requests_total", priority_level: "workload-low" }, values: [0, 0, 30, 60, 90] },
    { labels: { __name__: "apiserver_flowcontrol_rejected_requests_total", priority_level: "global-default" }, values: [null, 1, 1, 1, null] },
  ],
  expectations: [
    { evalSeconds: 1_700_000_000 + 1050, alertname: "APFRejections", alerts: [{ labels: { priority_level: "workload-low" } }] },
    { evalSeconds: 1_700_000_000 + 60, alertname: "APFRejections", alerts: [] },
  ],
};

describe("the promtool test file", () => {
  it("has promtool's shape, times relative to the first sample, and the rule's labels on each alert", () => {
    const doc = parse(regressionTestYaml(INPUT));
    expect(doc).toEqual({
      rule_files: ["rules.yaml"],
      evaluation_interval: "30s",
      tests: [
        {
          interval: "30s",
          input_series: [
            { series: 'apiserver_flowcontrol_rejected_requests_total{priority_level="workload-low"}', values: "0 0+30x3" },
            { series: 'apiserver_flowcontrol_rejected_requests_total{priority_level="global-default"}', values: "_ 1x2 _" },
          ],
          alert_rule_test: [
            { eval_time: "1m", alertname: "APFRejections", exp_alerts: [] },
            {
              eval_time: "17m30s",
              alertname: "APFRejections",
              exp_alerts: [{ exp_labels: { priority_level: "workload-low", severity: "warning", team: "workload-low-oncall" } }],
            },
          ],
        },
      ],
    });
  });

  it("escapes hostile label values so each reads back as one string", () => {
    const hostile = 'x"} or vector(1) #\n\\ {{ $value }}\t\u0001: yes';
    const yaml = regressionTestYaml({
      ...INPUT,
      inputSeries: [{ labels: { __name__: "up", job: hostile, on: "yes", n: "0123" }, values: [1] }],
      expectations: [{ evalSeconds: INPUT.startSeconds, alertname: "APFRejections", alerts: [{ labels: { job: hostile, on: "null" } }] }],
    });
    const doc = parse(yaml) as { tests: Array<{ input_series: Array<{ series: string }>; alert_rule_test: Array<{ exp_alerts: Array<{ exp_labels: Record<string, string> }> }> }> };
    const series = doc.tests[0]!.input_series[0]!.series;
    expect(series).toBe('up{job="x\\"} or vector(1) #\\n\\\\ {{ $value }}\\t\\x01: yes",n="0123",on="yes"}');
    expect(doc.tests[0]!.alert_rule_test[0]!.exp_alerts[0]!.exp_labels).toEqual({
      job: hostile,
      on: "null",
      severity: "warning",
      team: "-oncall",
    });
    // Every string in the file is a quoted scalar: nothing reads back as a number, boolean or null.
    for (const line of yaml.split("\n").filter((l) => l.includes(": "))) expect(line).toMatch(/: (".*"|\[\])$/);
  });

  it("writes a metric name that is not a legacy name as a __name__ matcher, and refuses such label names", () => {
    expect(seriesNotation({ __name__: "my.metric", a: "1" })).toBe('{__name__="my.metric",a="1"}');
    expect(() => seriesNotation({ __name__: "up", "k8s.io/name": "x" })).toThrow(/label name "k8s.io\/name"/);
    expect(seriesNotation({ __name__: "up", empty: "", b: "2", a: "1" })).toBe('up{a="1",b="2"}');
  });

  it("refuses what promtool could not check", () => {
    expect(() => regressionTestYaml({ ...INPUT, expectations: [{ ...INPUT.expectations[0]!, evalSeconds: INPUT.startSeconds + 45 }] })).toThrow(/not on the evaluation grid/);
    expect(() => regressionTestYaml({ ...INPUT, expectations: [{ ...INPUT.expectations[0]!, alertname: "Nope" }] })).toThrow(/no alerting rule/);
    const twice: RuleGroup[] = [...GROUPS, { name: "copy", interval: "", rules: GROUPS[0]!.rules }];
    expect(() => regressionTestYaml({ ...INPUT, groups: twice })).toThrow(/several alerting rules/);
    const alerting = GROUPS[0]!.rules[1] as AlertingRule;
    const valued: RuleGroup[] = [{ ...GROUPS[0]!, rules: [{ ...alerting, labels: { level: "{{ $value }}" } }] }];
    expect(() => regressionTestYaml({ ...INPUT, groups: valued })).toThrow(/depends on the value/);
    const many = Array.from({ length: REGRESSION_LIMITS.series + 1 }, (_, i) => ({ labels: { __name__: "up", i: String(i) }, values: [1] }));
    expect(() => regressionTestYaml({ ...INPUT, inputSeries: many })).toThrow(/more than the 200/);
    const long = [{ labels: { __name__: "up" }, values: Array(REGRESSION_LIMITS.samplesPerSeries + 1).fill(1) }];
    expect(() => regressionTestYaml({ ...INPUT, inputSeries: long })).toThrow(/samples per series/);
  });

  it("formats durations as Prometheus reads them", () => {
    expect([0, 30, 90, 1050, 3600, 3661, 1.5].map(promDuration)).toEqual(["0s", "30s", "1m30s", "17m30s", "1h", "1h1m1s", "1s500ms"]);
  });
});

describe("the rules under test", () => {
  it("drop alert annotations and keep everything else", () => {
    const tested = testedRuleFile(GROUPS);
    expect(tested[0]!.rules[0]).toEqual(GROUPS[0]!.rules[0]);
    expect(tested[0]!.rules[1]).toEqual({ ...GROUPS[0]!.rules[1], annotations: {} });
    expect((GROUPS[0]!.rules[1] as { annotations: object }).annotations).toEqual({ summary: "{{ $value | humanize }} rejections/s" });
  });
});
