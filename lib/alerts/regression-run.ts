import "server-only";
// A regression test of a rule group over a window, against Prometheus: each alerting rule backtested (its recording
// rules inlined, since Prometheus does not record them yet), the input series captured, and the backtests' answers
// at stable evaluation times written as a promtool test with the rule file it tests.
import type { Gateway } from "../prometheus/gateway";
import { evaluationTimesMs } from "./backtest";
import { runBacktest } from "./backtest-run";
import type { RegressionAnswer } from "./backtest-types";
import { captureInputSeries, captureLookbackSeconds } from "./capture";
import { exportYaml } from "./export";
import { inlineRecords } from "./inline";
import { durationLiteralSeconds } from "./promql-ast";
import { alertsFiringAt, chooseEvalTimes, regressionStep, regressionTestYaml, testedRuleFile, type Expectation } from "./regression";
import { isAlerting, isRecording, type RuleGroup } from "./rules";

/** Alerting rules one regression test covers: each costs a backtest upstream. */
export const REGRESSION_MAX_ALERTS = 20;
/** A chosen evaluation time keeps this far from any change of state, and at least two samples. */
const MIN_MARGIN_SECONDS = 120;

const seconds = (d: string) => (d === "" ? 0 : (durationLiteralSeconds(d) ?? 0));

export async function runRegression(gateway: Pick<Gateway, "queryRange">, req: { group: RuleGroup; intervalSeconds: number; startSeconds: number; endSeconds: number }): Promise<RegressionAnswer> {
  const { group, intervalSeconds } = req;
  const alerts = group.rules.filter(isAlerting);
  const records = group.rules.filter(isRecording);
  if (alerts.length === 0) throw new RangeError("the group has no alerting rule to test");
  if (alerts.length > REGRESSION_MAX_ALERTS) throw new RangeError(`a regression test covers at most ${REGRESSION_MAX_ALERTS} alerting rules; this group has ${alerts.length}`);
  const exprs = group.rules.map((r) => r.expr);
  const lookbackSeconds = captureLookbackSeconds(exprs);
  const windowSeconds = req.endSeconds - req.startSeconds;
  const stepSeconds = regressionStep(windowSeconds + lookbackSeconds, intervalSeconds);
  const marginMs = Math.max(MIN_MARGIN_SECONDS, 2 * stepSeconds, 4 * intervalSeconds) * 1000;

  const expectations: Expectation[] = [];
  let first: { startSeconds: number; endSeconds: number } | null = null;
  for (const rule of alerts) {
    const b = await runBacktest(gateway, {
      expr: inlineRecords(rule.expr, records),
      forSeconds: seconds(rule.for),
      keepFiringForSeconds: seconds(rule.keepFiringFor),
      intervalSeconds,
      startSeconds: req.startSeconds,
      endSeconds: req.endSeconds,
    });
    first ??= b;
    const evalTimesMs = evaluationTimesMs({ startSeconds: b.startSeconds, endSeconds: b.endSeconds, stepSeconds: intervalSeconds });
    const times = chooseEvalTimes(b, evalTimesMs, { marginMs, keepFiringForMs: seconds(rule.keepFiringFor) * 1000 });
    expectations.push(...times.map((t) => ({ evalSeconds: t / 1000, alertname: rule.alert, alerts: alertsFiringAt(b, t) })));
  }
  const capture = await captureInputSeries(gateway, {
    exprs,
    recorded: records.map((r) => r.record),
    startSeconds: first!.startSeconds,
    endSeconds: first!.endSeconds,
    stepSeconds,
    lookbackSeconds,
    alignSeconds: intervalSeconds,
  });
  const base = group.name || "apiscope-alerts";
  const rulesFileName = `${base}.rules.yaml`;
  const testFile = regressionTestYaml({
    ruleFileName: rulesFileName,
    groups: [group],
    intervalSeconds,
    stepSeconds: capture.stepSeconds,
    startSeconds: capture.startSeconds,
    inputSeries: capture.series,
    expectations,
  });
  const firing = expectations.filter((e) => e.alerts.length > 0).length;
  return {
    testFileName: `${base}.test.yaml`,
    testFile,
    rulesFileName,
    rulesFile: exportYaml(testedRuleFile([group]), "rules-file", { name: base, namespace: "", labels: {} }),
    summary:
      `${capture.series.length} input series every ${capture.stepSeconds}s from ${capture.queries.length} selectors; ` +
      `${expectations.length} checks of ${alerts.length} rules (${firing} firing, ${expectations.length - firing} quiet). ` +
      `Run: promtool test rules ${base}.test.yaml`,
  };
}
