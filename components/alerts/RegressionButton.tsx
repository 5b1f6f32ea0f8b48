"use client";
// "Keep this incident as a test of your alerts": a promtool test file whose input series are the rules' input series
// captured from the window, and whose expectations are the backtest's answers, with the rule file it tests.
import { useState } from "react";
import { downloadText } from "@/components/view/download";
import type { RuleGroup } from "@/lib/alerts/rules";
import { postRegression } from "@/lib/client/api";

const button = "rounded border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-40 dark:border-slate-700";

export function RegressionButton({ group, interval, window, disabled }: {
  group: RuleGroup;
  interval: string;
  window: { startMs: number; endMs: number };
  disabled: boolean;
}) {
  const [state, setState] = useState<{ busy: boolean; message: string | null; failed: boolean }>({ busy: false, message: null, failed: false });
  const run = async () => {
    setState({ busy: true, message: null, failed: false });
    try {
      const answer = await postRegression({ group, interval, start: Math.floor(window.startMs / 1000), end: Math.ceil(window.endMs / 1000) });
      downloadText(answer.rulesFileName, answer.rulesFile, "application/yaml");
      downloadText(answer.testFileName, answer.testFile, "application/yaml");
      setState({ busy: false, message: answer.summary, failed: false });
    } catch (err) {
      setState({ busy: false, message: (err as Error).message, failed: true });
    }
  };
  return (
    <>
      <button type="button" className={button} disabled={disabled || state.busy} onClick={() => void run()} data-testid="export-regression" title="A promtool test file from this window: run promtool test rules on it">
        {state.busy ? "Capturing…" : "Regression test (promtool)"}
      </button>
      {state.message && (
        <span role={state.failed ? "alert" : "status"} className={`text-xs ${state.failed ? "text-red-700 dark:text-red-300" : "text-slate-500"}`} data-testid="regression-message">
          {state.message}
        </span>
      )}
    </>
  );
}
