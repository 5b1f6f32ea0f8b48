// Imported rule groups joining a draft: each alerting rule becomes a hand-written draft rule (editable and
// backtestable), recording rules join the draft's own.
import type { Draft, DraftRule } from "./draft";
import { isAlerting, isRecording, type RuleGroup } from "./rules";

export function draftFromImport(d: Draft, groups: readonly RuleGroup[]): Draft {
  const rules: DraftRule[] = groups.flatMap((g) =>
    g.rules.filter(isAlerting).map((r): DraftRule => {
      const { severity, ...labels } = r.labels;
      const sev = severity === "info" || severity === "warning" || severity === "critical" ? severity : undefined;
      return {
        name: r.alert,
        expr: r.expr,
        for: r.for,
        keep: r.keepFiringFor,
        ...(sev ? { sev } : {}),
        labels: sev || severity === undefined ? labels : r.labels,
        ann: r.annotations,
      };
    }),
  );
  const records = groups.flatMap((g) => g.rules.filter(isRecording));
  const interval = groups.find((g) => g.interval !== "")?.interval;
  return {
    ...d,
    rules: [...d.rules, ...rules],
    records: [...d.records, ...records],
    sel: rules.length > 0 ? d.rules.length : d.sel,
    ...(d.rules.length === 0 && interval ? { interval } : {}),
  };
}
