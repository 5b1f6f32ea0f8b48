"use client";
// The alert-rule workbench: templates from the library (or imported, or hand-written rules) edited, backtested over
// the window in the URL, linted, and exported. The whole draft lives in the URL, so a link shares it.
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { Field } from "@/components/view/Field";
import { useUrlParam, useViewState } from "@/components/view/use-view-state";
import { DRAFT_PARAM } from "@/lib/alerts/draft-link";
import { recordsRead } from "@/lib/alerts/inline";
import { decodeDraft, draftGroup, uniqueRecords, EMPTY_DRAFT, encodeDraft, MAX_DRAFT_URL_CHARS, resolveDraftRule, type Draft, type DraftRule } from "@/lib/alerts/draft";
import { draftFromImport } from "@/lib/alerts/draft-import";
import { lintRules } from "@/lib/alerts/lint";
import { templateById } from "@/lib/alerts/templates";
import type { TemplateContext } from "@/lib/alerts/templates/types";
import { parseDuration } from "@/lib/duration";
import { formatUtc } from "@/lib/format";
import { useAlertContext, useAuditQuery, useBacktest } from "@/lib/client/hooks";
import { culpritMoment } from "@/lib/load/culprit-moment";
import { DEFAULT_SELECTION } from "@/lib/url-state";
import { completionClient } from "@/lib/client/promql-completion";
import { resolveRange, type TimeRange } from "@/lib/time-range";
import { BacktestView } from "./BacktestView";
import { DraftInput } from "./DraftField";
import { ExportPanel } from "./ExportPanel";
import { ImportPanel } from "./ImportPanel";
import { RegressionButton } from "./RegressionButton";
import { RuleEditor, type Sample } from "./RuleEditor";
import { TemplateLibrary } from "./TemplateLibrary";

const input = "rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700";
/** Typing pauses this long before a backtest runs. */
const BACKTEST_DEBOUNCE_MS = 400;
/** Relative windows ("last hour") are pinned to this grain, so a backtest is not re-run for a moved millisecond. */
const WINDOW_GRAIN_MS = 10_000;

/** The window, a relative one pinned to now (to WINDOW_GRAIN_MS). */
function pinnedWindow(range: TimeRange): { startMs: number; endMs: number } {
  return resolveRange(range, Math.floor(Date.now() / WINDOW_GRAIN_MS) * WINDOW_GRAIN_MS);
}

const noSubscription = () => () => {};

/** `value`, once it has stayed unchanged for `ms` — at once when it was null (the first run waits for no one). */
function useDebounced<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setShown(value), shown === null ? 0 : ms);
    return () => clearTimeout(t);
  }, [value, ms, shown]);
  return shown;
}

export function AlertWorkbench() {
  const [view, setView] = useViewState();
  const [param, setParam] = useUrlParam(DRAFT_PARAM);
  const draft = useMemo(() => decodeDraft(param), [param]);
  // From the URL as it is now, not as last rendered: two quick edits must both stay.
  const update = (change: (d: Draft) => Draft) => setParam(encodeDraft(change(decodeDraft(new URLSearchParams(window.location.search).get(DRAFT_PARAM)))), "replace");
  const context = useAlertContext(view);
  // The backtest's delay is measured from when the culprit's load began, when the audit log names one.
  const culprit = useAuditQuery("culprit", view, DEFAULT_SELECTION);
  const reference = useMemo(() => {
    const moment = culpritMoment(culprit.data);
    return moment ? { label: moment.name, ms: moment.atMs } : null;
  }, [culprit.data]);
  // Until the configured selector and this Prometheus' metric names are known, the rules are not the ones to export
  // or backtest.
  const contextReady = context.data !== undefined || context.isError;
  const ctx: TemplateContext = useMemo(
    () => ({ apiserverSelector: context.data?.apiserverSelector ?? "", names: context.data?.names ? new Set(context.data.names) : null }),
    [context.data],
  );
  const origin = useSyncExternalStore(noSubscription, () => window.location.origin, () => "");
  const runbookBase = origin ? `${origin}/alerts/runbooks` : undefined;
  const resolved = useMemo(() => draft.rules.map((r) => resolveDraftRule(r, ctx, runbookBase)), [draft.rules, ctx, runbookBase]);
  const problems = resolved.map((r) => r.problems);
  const group = useMemo(() => draftGroup(draft, resolved), [draft, resolved]);
  const findings = useMemo(
    () => lintRules([group], { scrapeIntervalSeconds: context.data?.scrapeIntervalSeconds ?? 30, names: ctx.names }),
    [group, context.data, ctx.names],
  );
  const sel = Math.min(draft.sel, Math.max(0, draft.rules.length - 1));
  const current = draft.rules[sel];
  const currentResolved = resolved[sel];
  const template = current?.t ? templateById(current.t) : undefined;

  const rangeKey = JSON.stringify(view.range);
  // A relative window ("last hour") is pinned when opened; "Evaluate up to now" pins it again.
  const [pins, setPins] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the range's value, not its identity, decides
  const span = useMemo(() => pinnedWindow(view.range), [rangeKey, pins]);
  const relative = view.range.to.kind !== "absolute";
  const completion = useMemo(() => completionClient(() => ({ startSeconds: span.startMs / 1000, endSeconds: span.endMs / 1000 })), [span]);

  const body = useMemo(() => {
    const rule = currentResolved?.rule;
    if (!rule || !contextReady) return null;
    return {
      expr: rule.expr,
      // Only the recording rules the expression reads: an imported file may hold many.
      records: recordsRead(rule.expr, uniqueRecords([draft.records, currentResolved.records])),
      for: rule.for,
      keepFiringFor: rule.keepFiringFor,
      interval: draft.interval,
      start: Math.floor(span.startMs / 1000),
      end: Math.ceil(span.endMs / 1000),
      width: 1000,
    };
  }, [currentResolved, contextReady, draft.records, draft.interval, span]);
  const debounced = useDebounced(body, BACKTEST_DEBOUNCE_MS);
  const backtest = useBacktest(debounced);
  const sample: Sample | null = useMemo(() => {
    const s = backtest.data?.chart.series[0];
    const last = s?.points.findLast(([, v]) => v !== null);
    return s && last ? { labels: Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== "__name__")), value: last[1]! } : null;
  }, [backtest.data]);

  const addTemplate = (id: string) => update((d) => ({ ...d, rules: [...d.rules, { t: id }], sel: d.rules.length }));
  const setRule = (next: DraftRule) => update((d) => ({ ...d, rules: d.rules.map((r, i) => (i === sel ? next : r)) }));
  const removeRule = (i: number) => update((d) => ({ ...d, rules: d.rules.filter((_, j) => j !== i), sel: 0 }));
  const blocked = !contextReady
    ? "reading the configured API-server selector and this Prometheus' metric names"
    : (problems.flatMap((p, i) => (p.length > 0 ? [`${resolved[i]!.shown.alert}: ${p[0]}`] : []))[0] ?? null);
  const urlChars = param?.length ?? 0;
  const intervalOk = (parseDuration(draft.interval) ?? 0) >= 1;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Alert rules</h1>
        <Field label="evaluation interval">
          <DraftInput value={draft.interval} onValue={(interval) => update((d) => ({ ...d, interval }))} className={`${input} w-16 font-mono`} data-testid="draft-interval" />
        </Field>
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <CopyLinkButton view={view} />
      </div>
      {urlChars > MAX_DRAFT_URL_CHARS && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm dark:border-amber-800 dark:bg-amber-950/40" data-testid="draft-too-long">
          This draft is too long for a link ({urlChars.toLocaleString("en-US")} characters; links longer than {MAX_DRAFT_URL_CHARS.toLocaleString("en-US")} get cut by chat tools and proxies): share the exported YAML instead — it can be imported here.
        </p>
      )}
      {context.data?.namesError && (
        <p role="status" className="text-sm text-amber-700 dark:text-amber-300" data-testid="names-unknown">
          Which metrics this Prometheus has is unknown ({context.data.namesError}): templates use the newest Kubernetes names.
        </p>
      )}
      <div className="grid gap-3 lg:grid-cols-[22rem_1fr]">
        <div className="flex flex-col gap-3">
          <TemplateLibrary ctx={ctx} onAdd={addTemplate} />
          <ImportPanel onImport={(groups) => update((d) => draftFromImport(d, groups))} />
        </div>
        <div className="flex min-w-0 flex-col gap-3">
          <section className="flex flex-wrap items-center gap-1" aria-label="Rules in this draft" data-testid="draft-rules">
            {draft.rules.length === 0 && (
              <p className="text-sm text-slate-500" data-testid="draft-empty">
                Add a template from the library, import your rules, or{" "}
                <button type="button" className="underline" onClick={() => update((d) => ({ ...d, rules: [...d.rules, { name: "DraftAlert", expr: "" }], sel: d.rules.length }))} data-testid="draft-new">
                  write a rule
                </button>
                .
              </p>
            )}
            {resolved.map((r, i) => (
              <span key={i} className={`flex items-center gap-1 rounded border px-2 py-0.5 text-xs ${i === sel ? "border-sky-500 bg-sky-50 dark:bg-sky-950/40" : "border-slate-300 dark:border-slate-700"}`} data-rule={r.shown.alert} data-ok={problems[i]!.length === 0} data-exported={r.rule !== null}>
                <button type="button" onClick={() => update((d) => ({ ...d, sel: i }))} className="font-mono">
                  {problems[i]!.length > 0 ? <span className="text-red-600">● </span> : r.rule === null && <span className="text-amber-600" title="left out of the export">○ </span>}
                  {r.shown.alert}
                </button>
                <button type="button" onClick={() => removeRule(i)} aria-label={`Remove ${r.shown.alert}`} className="text-slate-400 hover:text-red-600">
                  ✕
                </button>
              </span>
            ))}
          </section>
          {current && currentResolved && (
            <>
              <RuleEditor key={sel} d={current} resolved={currentResolved} template={template} ctx={ctx} completion={completion} sample={sample} onChange={setRule} />
              {problems[sel]!.length > 0 && (
                <ul role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="rule-problems">
                  {problems[sel]!.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
              {currentResolved.notes.length > 0 && (
                <ul role="status" className="text-sm text-amber-700 dark:text-amber-300" data-testid="rule-notes">
                  {currentResolved.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
              <section className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="backtest" aria-label="Backtest" data-state={backtest.isFetching ? "loading" : backtest.isError ? "error" : backtest.data ? "ready" : "idle"}>
                <div className="flex items-center gap-2">
                  <h2 className="text-sm font-semibold">Backtest over this window</h2>
                  <span className="text-xs text-slate-500" data-testid="backtest-window">
                    {formatUtc(span.startMs, false)} → {formatUtc(span.endMs, false)} UTC
                  </span>
                  {relative && (
                    <button type="button" className="text-xs underline" onClick={() => setPins((n) => n + 1)} data-testid="backtest-now">
                      evaluate up to now
                    </button>
                  )}
                </div>
                {!intervalOk && <p className="text-sm text-red-700">The evaluation interval must be a duration of at least 1s.</p>}
                {backtest.isError && (
                  <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="backtest-error">
                    {backtest.error.message}
                  </p>
                )}
                {backtest.data && !backtest.isError && currentResolved.rule && (
                  // An earlier rule's or threshold's backtest stays on screen, dimmed, until this one is answered.
                  <div className={backtest.isPlaceholderData ? "opacity-40" : ""} aria-busy={backtest.isPlaceholderData}>
                  <BacktestView result={backtest.data} reference={reference} unit={template?.unit ?? "none"} forMs={(parseDuration(currentResolved.rule.for || "0s") ?? 0) * 1000} />
                  </div>
                )}
                {!backtest.data && backtest.isFetching && <p className="text-sm text-slate-500">Evaluating…</p>}
                {!currentResolved.rule && (
                  <p className="text-sm text-slate-500" data-testid="backtest-none">
                    Not evaluated: {currentResolved.missing.length > 0 ? `this Prometheus has no ${currentResolved.missing.join(", ")} in this window` : "fix the rule first (above)"}.
                  </p>
                )}
              </section>
            </>
          )}
          {findings.length > 0 && (
            <section className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800" data-testid="lint" aria-label="Lint">
              <h2 className="mb-1 text-sm font-semibold">Checks</h2>
              <ul className="flex flex-col gap-0.5">
                {findings.map((f, i) => (
                  <li key={i} data-code={f.code} className={f.severity === "error" ? "text-red-700 dark:text-red-300" : f.severity === "warning" ? "text-amber-700 dark:text-amber-300" : "text-slate-500"}>
                    <span className="font-mono">{f.rule}</span>: {f.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <ExportPanel
            draft={draft}
            group={group}
            blocked={blocked}
            onChange={(format, meta) => update((d) => ({ ...d, format, meta }))}
            leftOut={resolved.filter((r) => r.notes.length > 0).map((r) => r.shown.alert)}
            regression={<RegressionButton group={group} interval={draft.interval} window={span} disabled={blocked !== null} />}
          />
          {draft !== EMPTY_DRAFT && draft.rules.length > 0 && (
            <p className="text-xs text-slate-500">
              Runbooks of the templates: <a className="underline" href="/alerts/runbooks">/alerts/runbooks</a>
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
