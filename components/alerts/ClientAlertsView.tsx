"use client";
// Alerts on one client ("alert on this" from the culprit card): rules on apiscope's per-client metrics, with the
// client's load in the window beside the thresholds, exported as a PrometheusRule or a rule file.
import { useMemo } from "react";
import { useAuditQuery } from "@/lib/client/hooks";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { Clipped } from "@/components/view/Clipped";
import { usePrefixedParams, useSelection, useViewState } from "@/components/view/use-view-state";
import {
  ALERT_CHOICES, ALERT_PREFIX, clientAlertProblem, clientAlerts, crossedOnAverage, DEFAULT_CLIENT_ALERT, type ClientAlertSettings,
} from "@/lib/alerts/client-rules";
import { formatValue } from "@/lib/format";
import { DEFAULT_SELECTION, parseFlat, serializeFlat } from "@/lib/url-state";
import { downloadText } from "@/components/view/download";
import { Field } from "@/components/view/Field";

const input = "rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700";

type Edit = Omit<ClientAlertSettings, "client">;

/** The client's share needs every client's requests: the busiest are fetched (the API's largest page). */
const TOP_CLIENTS = 100;

function Observed({ client, settings }: { client: string; settings: Edit }) {
  const [view] = useViewState();
  const all = useAuditQuery("breakdown", view, DEFAULT_SELECTION, { top: String(TOP_CLIENTS) });
  const row = all.data?.rows.find((r) => r.keys?.[0] === client);
  if (!all.data) return null;
  if (!row) {
    return (
      <p className="text-sm" data-testid="alert-observed">
        In this window <Clipped text={client} max={60} /> is not among the {TOP_CLIENTS} busiest clients (or sent nothing).
      </p>
    );
  }
  const load = { ratePerSecond: row.rate, share: row.share, throttledPerSecond: row.throttled / all.data.windowSeconds };
  const crossed = crossedOnAverage(settings, load);
  return (
    <div className="text-sm" data-testid="alert-observed">
      <p>
        In this window <Clipped text={client} max={60} /> sent {formatValue(load.ratePerSecond, "reqps")} ({formatValue(load.share, "ratio")} of all
        requests) and got {formatValue(load.throttledPerSecond, "reqps")} 429s.
      </p>
      <p className="text-xs text-slate-500">
        On these averages:{" "}
        {Object.entries(crossed).map(([alert, yes], i) => (
          <span key={alert} data-alert={alert} data-crossed={yes}>
            {i > 0 && " · "}
            {alert} {yes ? "would fire" : "would stay quiet"}
          </span>
        ))}
        {" "}(peaks can cross where the average does not).
      </p>
    </div>
  );
}

export function ClientAlertsView() {
  const [view, setView] = useViewState();
  const [selection, setSelection] = useSelection();
  const client = selection.filters.client?.[0] ?? "";
  // The settings live in the URL, so a shared link shows the same rules.
  const [params, setParams] = usePrefixedParams(ALERT_PREFIX);
  const edit = useMemo(() => parseFlat(params, ALERT_PREFIX, DEFAULT_CLIENT_ALERT, ALERT_CHOICES), [params]);
  // From the URL as it is now, not as last rendered: two quick edits must both stay.
  const set = (patch: Partial<Edit>) => {
    const current = parseFlat(new URLSearchParams(window.location.search), ALERT_PREFIX, DEFAULT_CLIENT_ALERT, ALERT_CHOICES);
    setParams(serializeFlat(ALERT_PREFIX, DEFAULT_CLIENT_ALERT, { ...current, ...patch }), "replace");
  };
  const settings = { ...edit, client };
  const problem = clientAlertProblem(settings);
  // A missing client is not an error but the page's starting point (prompted for below); other fields' problems show.
  const fieldProblem = client === "" ? clientAlertProblem({ ...settings, client: "(any)" }) : problem;
  const out = useMemo(() => (problem ? null : clientAlerts({ ...edit, client })), [problem, edit, client]);
  const number = (key: "rateAbove" | "shareAbove" | "throttledAbove", step: number) => (
    <input type="number" min={0} step={step} value={edit[key]} onChange={(e) => set({ [key]: Number(e.target.value) })} className={`${input} w-24 tabular-nums`} data-testid={`alert-${key}`} />
  );
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">Alerts on a client</h1>
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <CopyLinkButton view={view} />
      </div>
      <section className="flex flex-col gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="client-alerts">
        <Field label="Client (user agent)">
          <input
            value={client}
            onChange={(e) => setSelection({ ...DEFAULT_SELECTION, filters: e.target.value === "" ? {} : { client: [e.target.value] } }, "replace")}
            className={`${input} w-96`}
            data-testid="alert-client"
          />
        </Field>
        {client === "" ? (
          // Nothing is wrong yet: the page is waiting for a client, so it says what to do, not an error.
          <p role="status" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-600 dark:border-slate-800 dark:bg-slate-900/40 dark:text-slate-400" data-testid="alert-prompt">
            Type a client (its user agent, as the Load page names it) to get alerting rules for it, or open this page with
            <b> Alert on this</b> on the Load page&apos;s culprit card.
          </p>
        ) : (
          <Observed client={client} settings={edit} />
        )}
        <div className="flex flex-wrap gap-4">
          <Field label="requests/s above">{number("rateAbove", 1)}</Field>
          <Field label="share above (0–1)">{number("shareAbove", 0.05)}</Field>
          <Field label="429s/s above">{number("throttledAbove", 0.1)}</Field>
          <Field label="for">
            <input value={edit.for} onChange={(e) => set({ for: e.target.value })} className={`${input} w-20`} />
          </Field>
          <Field label="severity">
            <select value={edit.severity} onChange={(e) => set({ severity: e.target.value as Edit["severity"] })} className={input}>
              <option value="warning">warning</option>
              <option value="critical">critical</option>
            </select>
          </Field>
          <Field label="apiscope's series">
            <input value={edit.selector} placeholder='job="apiscope"' onChange={(e) => set({ selector: e.target.value })} className={`${input} w-48`} />
          </Field>
          <Field label="format">
            <select value={edit.format} onChange={(e) => set({ format: e.target.value as Edit["format"] })} className={input} data-testid="alert-format">
              <option value="PrometheusRule">PrometheusRule (prometheus-operator)</option>
              <option value="rules-file">Prometheus rule file</option>
            </select>
          </Field>
          {edit.format === "PrometheusRule" && (
            <Field label="namespace">
              <input value={edit.namespace} onChange={(e) => set({ namespace: e.target.value })} className={`${input} w-32`} />
            </Field>
          )}
        </div>
        {fieldProblem && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="alert-problem">
            {fieldProblem}
          </p>
        )}
        {out && (
          <>
            <div className="flex items-center gap-2">
              <span className="mr-auto text-xs text-slate-500">{out.rules.length} alerting rules</span>
              <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700" onClick={() => void navigator.clipboard?.writeText(out.yaml)}>
                Copy YAML
              </button>
              <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700" onClick={() => downloadText(`${out.name}.yaml`, out.yaml, "application/yaml")}>
                Download
              </button>
            </div>
            <pre className="max-h-[32rem] overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" data-testid="alert-yaml">
              {out.yaml}
            </pre>
            {out.notes.map((n) => (
              <p key={n} className="text-xs text-slate-500">
                {n}
              </p>
            ))}
          </>
        )}
      </section>
    </div>
  );
}
