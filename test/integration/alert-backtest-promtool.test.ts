// apiscope's backtest state machine against Prometheus' own rule engine (`promtool test rules`): for hand-picked and
// seeded random on/off patterns of a series, with and without `for` and `keep_firing_for`, the alerts promtool finds
// firing at every evaluation are exactly those the backtest says are firing then.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backtestAlert } from "@/lib/alerts/backtest";
import { PROMTOOL_BIN } from "@/scripts/lib/prometheus";
import { tempDir } from "@/test/support/audit-harness";

interface Case {
  pattern: string;
  forMin: number;
  keepMin: number;
}

const HAND_PICKED: Case[] = [
  { pattern: "..xx..", forMin: 0, keepMin: 0 },
  { pattern: ".xxxxx.", forMin: 2, keepMin: 0 },
  { pattern: "xx.xxx", forMin: 2, keepMin: 0 },
  { pattern: "x.x.x.x.x.", forMin: 1, keepMin: 0 },
  { pattern: "xxx.xxx", forMin: 1, keepMin: 0 },
  { pattern: "xx......", forMin: 0, keepMin: 3 },
  { pattern: "xx..x.....", forMin: 0, keepMin: 2.5 },
  { pattern: "xx....", forMin: 5, keepMin: 10 },
];

/** A seeded generator, so a failure names the same patterns every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function randomCases(n: number, length: number): Case[] {
  const rnd = seeded(20241205);
  return Array.from({ length: n }, () => {
    // Runs of on and off of random length: flapping, long stretches, and everything between.
    let pattern = "";
    let on = rnd() < 0.5;
    while (pattern.length < length) {
      pattern += (on ? "x" : ".").repeat(1 + Math.floor(rnd() * 6));
      on = !on;
    }
    return { pattern: pattern.slice(0, length), forMin: [0, 1, 2, 3, 5][Math.floor(rnd() * 5)]!, keepMin: [0, 0, 1, 2, 4][Math.floor(rnd() * 5)]! };
  });
}

const CASES = [...HAND_PICKED, ...randomCases(40, 30)];
const MIN = 60_000;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir("alert-backtest");
});
afterAll(() => tmp?.cleanup());

/** The firing alerts the backtest expects at each evaluation, as promtool's alert_rule_test entries. */
function expectations(): Array<{ eval_time: string; alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }> {
  return CASES.flatMap((c, i) => {
    const evalTimesMs = Array.from({ length: c.pattern.length }, (_, k) => k * MIN);
    const r = backtestAlert({
      evalTimesMs,
      series: [{ labels: { case: String(i) }, present: [...c.pattern].map((ch) => ch === "x") }],
      forMs: c.forMin * MIN,
      keepFiringForMs: c.keepMin * MIN,
    });
    const spans = r.series[0]!.spans.filter((s) => s.state === "firing");
    return evalTimesMs.map((t) => ({
      eval_time: `${t / MIN}m`,
      alertname: `Case${i}`,
      exp_alerts: spans.some((s) => s.fromMs <= t && t < s.toMs) ? [{ exp_labels: { case: String(i) } }] : [],
    }));
  });
}

function promtool(tests: ReturnType<typeof expectations>): { status: number | null; output: string } {
  const rules = {
    groups: [
      {
        name: "backtest",
        interval: "1m",
        rules: CASES.map((c, i) => ({
          alert: `Case${i}`,
          expr: `cond{case="${i}"} > 0`,
          for: `${c.forMin * 60}s`,
          ...(c.keepMin > 0 ? { keep_firing_for: `${c.keepMin * 60}s` } : {}),
        })),
      },
    ],
  };
  writeFileSync(path.join(tmp.dir, "rules.yaml"), JSON.stringify(rules));
  const test = {
    rule_files: ["rules.yaml"],
    evaluation_interval: "1m",
    tests: [
      {
        interval: "1m",
        // One sample a minute: 1 where the pattern is on, 0 where it is off (the rule's `> 0` leaves it out).
        input_series: CASES.map((c, i) => ({ series: `cond{case="${i}"}`, values: [...c.pattern].map((ch) => (ch === "x" ? "1" : "0")).join(" ") })),
        alert_rule_test: tests,
      },
    ],
  };
  writeFileSync(path.join(tmp.dir, "test.yaml"), JSON.stringify(test));
  const r = spawnSync(PROMTOOL_BIN, ["test", "rules", "test.yaml"], { cwd: tmp.dir, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the backtest agrees with Prometheus' rule engine", () => {
  it("on when each case's alert fires, evaluation by evaluation", () => {
    const tests = expectations();
    expect(tests.length).toBeGreaterThan(1000);
    // Some cases fire, some never do, and keep_firing_for changes some outcome: the comparison is not vacuous.
    expect(tests.filter((t) => t.exp_alerts.length > 0).length).toBeGreaterThan(200);
    const r = promtool(tests);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("and promtool notices when an expectation is wrong", () => {
    const tests = expectations();
    const firing = tests.findIndex((t) => t.exp_alerts.length > 0);
    tests[firing] = { ...tests[firing]!, exp_alerts: [] };
    const r = promtool(tests);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/FAILED/);
  });
});
