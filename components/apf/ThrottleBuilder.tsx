"use client";
// Throttle a client with APF: its users resolved from the audit log, the scope and level edited here, guard rails,
// the effect estimate, and the FlowSchema + PriorityLevelConfiguration YAML to apply. Nothing is sent to a cluster.
import { useMemo, useState, type ReactNode } from "react";
import { QueryPanel } from "@/components/panels/QueryPanel";
import { useAuditQuery } from "@/lib/client/hooks";
import { Clipped } from "@/components/view/Clipped";
import { usePrefixedParams } from "@/components/view/use-view-state";
import {
  buildThrottle, defaultSettings, paramsFromSettings, resourceKey, resourceLabel, settingsFromParams, THROTTLE_PREFIX, type BuilderSettings,
} from "@/lib/apf/builder";
import { schemaEvidence, subjectSummaryText, type Resolution } from "@/lib/apf/resolve";
import type { FlowSchemaRow } from "@/lib/apf/status-types";
import { formatValue } from "@/lib/format";
import type { Selection, ViewState } from "@/lib/url-state";
import { downloadText } from "@/components/view/download";
import { Field } from "@/components/view/Field";

const box = "rounded-md border border-slate-200 p-3 dark:border-slate-800";
const input = "w-20 rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm tabular-nums dark:border-slate-700";
const count = (n: number) => Math.round(n).toLocaleString("en-US");
const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

/** Items shown before "show all": a long list (300 node identities) is summarised above it, not cut. */
const SHOWN = 12;

function Checks({ testId, items, chosen, onChange, render }: {
  testId: string;
  items: string[];
  chosen: string[];
  onChange: (next: string[]) => void;
  render?: (item: string) => ReactNode;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, SHOWN);
  return (
    <div className="flex flex-wrap gap-x-4 gap-y-1" data-testid={testId}>
      {shown.map((item) => (
        <label key={item} className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={chosen.includes(item)} onChange={() => onChange(toggle(chosen, item))} />
          {render ? render(item) : <Clipped text={item} max={48} />}
        </label>
      ))}
      {items.length > SHOWN && (
        <span className="flex items-center gap-2 text-sm">
          <button type="button" className="underline" onClick={() => setAll(!all)}>
            {all ? "show fewer" : `show all ${items.length.toLocaleString("en-US")}`}
          </button>
          <button type="button" className="underline" onClick={() => onChange(chosen.length === items.length ? [] : items)}>
            {chosen.length === items.length ? "choose none" : "choose all"}
          </button>
        </span>
      )}
    </div>
  );
}

function Builder({ r, windowSeconds, serverLimit, metricSchemas }: {
  r: Resolution;
  windowSeconds: number;
  serverLimit: number;
  metricSchemas: FlowSchemaRow[] | null;
}) {
  const evidence = useMemo(() => (metricSchemas ? schemaEvidence(r.currentSchemas, metricSchemas) : null), [r, metricSchemas]);
  const customSchemas = evidence?.custom ?? [];
  // The choices live in the URL (a shared link shows the same throttle); the override alone stays with this viewer.
  const defaults = useMemo(() => defaultSettings(r, serverLimit), [r, serverLimit]);
  const [params, setParams] = usePrefixedParams(THROTTLE_PREFIX);
  const [override, setOverride] = useState(false);
  const s = useMemo(() => ({ ...settingsFromParams(defaults, params), override }), [defaults, params, override]);
  const set = (patch: Partial<BuilderSettings>) => {
    if (patch.override !== undefined) setOverride(patch.override);
    // From the URL as it is now, not as last rendered: two quick edits must both stay.
    const current = settingsFromParams(defaults, new URLSearchParams(window.location.search));
    setParams(paramsFromSettings(defaults, { ...current, ...patch }), "replace");
  };
  const out = useMemo(() => buildThrottle(r, s, windowSeconds), [r, s, windowSeconds]);
  const [copied, setCopied] = useState(false);
  const subjectLabel = (user: string) => {
    const x = r.subjects.find((v) => v.user === user)!;
    const ref = x.ref.kind === "ServiceAccount" ? `ServiceAccount ${x.ref.namespace}/${x.ref.name}` : `User ${x.ref.name}`;
    return (
      <span>
        <Clipped text={ref} max={60} /> <span className="text-xs text-slate-500">{formatValue(x.share, "ratio")} of its requests</span>
      </span>
    );
  };
  const e = out.effect;
  return (
    <div className="flex flex-col gap-3 p-3" data-testid="throttle-builder">
      <section className={box}>
        <h3 className="mb-1 text-xs font-medium text-slate-500">What it sends today</h3>
        <p className="text-sm">
          <Clipped text={r.client} max={60} /> sent {count(r.requests)} requests ({formatValue(r.ratePerSecond, "reqps")}, mean latency{" "}
          {formatValue(r.meanLatencySeconds, "seconds")}), served today by{" "}
          <span data-testid="current-schemas">
            {r.currentSchemas.length === 0
              ? "no default schema (check your own FlowSchemas)"
              : r.currentSchemas.map((c) => `${c.name} (precedence ${c.matchingPrecedence} → ${c.priorityLevel})`).join(", ")}
          </span>
          .
          {evidence && evidence.seen.length > 0 && (
            <span className="text-slate-500" data-testid="schema-evidence">
              {" "}
              {evidence.unseen.length === 0 ? "The metrics agree:" : "The metrics show traffic through"}{" "}
              {evidence.seen.map((e) => `${e.name} dispatched ${formatValue(e.dispatchedPerSecond, "reqps")}, rejected ${formatValue(e.rejectedPerSecond, "reqps")}`).join("; ")}.
            </span>
          )}
          {r.nonResourceRequests > 0 && ` ${count(r.nonResourceRequests)} requests to non-resource paths are not covered by a resource rule.`}
        </p>
        {evidence && evidence.unseen.length > 0 && (
          <p className="mt-1 text-sm text-amber-700 dark:text-amber-300">
            The metrics show no requests through {evidence.unseen.join(", ")}: this cluster&apos;s APF configuration differs from the defaults. Find the schema that
            serves this client and enter its precedence under &quot;also before precedence&quot;.
          </p>
        )}
        {r.collateral.length > 0 && (
          <div className="mt-2 text-sm" data-testid="collateral">
            <p className="text-amber-700 dark:text-amber-300">The same users also send other clients&apos; requests; those would be throttled too:</p>
            <ul className="ml-4 list-disc">
              {r.collateral.slice(0, 8).map((c) => (
                <li key={`${c.user} ${c.client}`}>
                  <Clipped text={c.client} max={40} empty="(no user agent)" /> as <Clipped text={c.user} max={50} />: {count(c.requests)} requests
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section className={`${box} flex flex-col gap-2`}>
        <h3 className="text-xs font-medium text-slate-500">Who and what to throttle (a FlowSchema matches users and service accounts, not user agents)</h3>
        {r.subjectSummary && (
          <p className="text-sm" data-testid="subject-summary">
            {subjectSummaryText(r.subjectSummary)}
          </p>
        )}
        <Checks testId="throttle-subjects" items={r.subjects.map((x) => x.user)} chosen={s.users} onChange={(users) => set({ users })} render={subjectLabel} />
        <Checks testId="throttle-verbs" items={r.verbs} chosen={s.verbs} onChange={(verbs) => set({ verbs })} />
        <Checks
          testId="throttle-resources"
          items={r.resources.map(resourceKey)}
          chosen={s.resources}
          onChange={(resources) => set({ resources })}
          render={(key) => <Clipped text={resourceLabel(key)} max={48} />}
        />
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={s.allNamespaces} onChange={() => set({ allNamespaces: !s.allNamespaces })} />
            all namespaces{r.namespaces.length > 0 && !s.allNamespaces && <span className="text-slate-500"> (now: {r.namespaces.slice(0, 5).join(", ")}{r.namespaces.length > 5 ? ", …" : ""})</span>}
          </label>
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={s.clusterScope} onChange={() => set({ clusterScope: !s.clusterScope })} />
            cluster-scoped and cluster-wide requests
          </label>
        </div>
      </section>

      <section className={`${box} flex flex-wrap items-center gap-4`}>
        <Field label="shares">
          <input type="number" min={1} value={s.shares} onChange={(ev) => set({ shares: Math.max(1, Math.floor(Number(ev.target.value) || 1)) })} className={input} data-testid="throttle-shares" />
        </Field>
        <Field label="when full">
          <select value={s.mode} onChange={(ev) => set({ mode: ev.target.value as BuilderSettings["mode"] })} className="rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700" data-testid="throttle-mode">
            <option value="Queue">queue, then reject</option>
            <option value="Reject">reject at once</option>
          </select>
        </Field>
        {s.mode === "Queue" &&
          (["queues", "handSize", "queueLengthLimit"] as const).map((k) => (
            <Field key={k} label={k}>
              <input type="number" min={1} value={s.queuing[k]} onChange={(ev) => set({ queuing: { ...s.queuing, [k]: Math.max(1, Math.floor(Number(ev.target.value) || 1)) } })} className={input} />
            </Field>
          ))}
        <Field label="server limit">
          <input type="number" min={1} value={s.serverLimit} onChange={(ev) => set({ serverLimit: Math.max(1, Math.floor(Number(ev.target.value) || 1)) })} className={input} title="--max-requests-inflight + --max-mutating-requests-inflight" />
        </Field>
        <Field label="also before precedence">
          <input
            type="number"
            min={3}
            max={10000}
            placeholder="–"
            value={s.before ?? ""}
            onChange={(ev) => set({ before: ev.target.value === "" ? null : Math.min(10000, Math.max(3, Math.floor(Number(ev.target.value) || 3))) })}
            className={input}
            title="The precedence of a FlowSchema of your own that may match this traffic first"
            data-testid="throttle-before"
          />
        </Field>
        <Field label="API version">
          <select value={s.apiVersion} onChange={(ev) => set({ apiVersion: ev.target.value as BuilderSettings["apiVersion"] })} className="rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700">
            <option value="v1">v1 (Kubernetes 1.29+)</option>
            <option value="v1beta3">v1beta3 (1.26–1.28)</option>
          </select>
        </Field>
      </section>

      {customSchemas.length > 0 && (
        <p className="text-sm text-amber-700 dark:text-amber-300" data-testid="custom-schemas">
          This cluster has flow schemas beyond the defaults: {customSchemas.slice(0, 8).join(", ")}
          {customSchemas.length > 8 ? ", …" : ""}. The metrics do not say whom they match: if one of them serves this client, enter its precedence
          under &quot;also before precedence&quot;.
        </p>
      )}
      {(out.guard.refusals.length > 0 || out.guard.warnings.length > 0) && (
        <section className="flex flex-col gap-1 text-sm" data-testid="throttle-guard">
          {out.guard.refusals.map((f) => (
            <p key={f.text} className="rounded border border-red-300 bg-red-50 px-2 py-1 text-red-900 dark:border-red-900/70 dark:bg-red-950/40 dark:text-red-200">
              Refused: {f.text}
            </p>
          ))}
          {out.guard.refusals.some((f) => f.overridable) && out.guard.refusals.every((f) => f.overridable) && (
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={s.override} onChange={() => set({ override: !s.override })} />I know what this traffic is and accept the risk
            </label>
          )}
          {out.guard.warnings.map((f) => (
            <p key={f.text} className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/30 dark:text-amber-200">
              {f.text}
            </p>
          ))}
        </section>
      )}

      {out.seats && (
        <section className={box} data-testid="throttle-effect" data-seats={out.seats.seats} data-reject-share={e?.rejectShare ?? ""}>
          <h3 className="mb-1 text-xs font-medium text-slate-500">Effect, estimated before applying</h3>
          <p className="text-sm">
            Today about <b>{e ? e.concurrency.toFixed(1) : "–"}</b> of its requests are in flight ({formatValue(out.offeredPerSecond, "reqps")} × {formatValue(r.meanLatencySeconds, "seconds")}
            ). Its new level gets <b>{out.seats.seats}</b> seats ({s.shares} shares at a server limit of {s.serverLimit}), taking {out.seats.takenFromOthers} seats from the
            other levels.
          </p>
          {e && (
            <p className="mt-1 text-sm">
              Expect <b>{formatValue(e.rejectShare, "ratio")}</b> of its requests to be rejected (429){s.mode === "Queue" && <>, {formatValue(e.waitProbability, "ratio")} to wait in a queue</>}; at most{" "}
              {formatValue(e.throughputCapPerSecond, "reqps")} complete. {e.note}
            </p>
          )}
          <p className="mt-1 text-xs text-slate-500">
            Seats freed for everyone else: the culprit&apos;s {e ? e.concurrency.toFixed(1) : "–"} in-flight requests leave {r.currentSchemas.map((c) => c.priorityLevel).join(", ") || "their level"} and now hold at most {out.seats.seats}.
            Queueing models are rough for API traffic; watch the APF panels after applying.
          </p>
        </section>
      )}

      {out.problem && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-2 py-1 text-sm text-red-900 dark:border-red-900/70 dark:bg-red-950/40 dark:text-red-200" data-testid="throttle-problem">
          No objects generated: {out.problem}
        </p>
      )}

      {out.plan && (
        <section className={`${box} flex flex-col gap-2`}>
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="mr-auto text-xs font-medium text-slate-500">FlowSchema and PriorityLevelConfiguration</h3>
            <button
              type="button"
              className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700"
              onClick={() => void navigator.clipboard?.writeText(out.plan!.yaml).then(() => setCopied(true), () => setCopied(false))}
            >
              {copied ? "Copied" : "Copy YAML"}
            </button>
            <button type="button" className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700" onClick={() => downloadText(`${out.plan!.name}.yaml`, out.plan!.yaml, "application/yaml")}>
              Download
            </button>
          </div>
          <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" data-testid="throttle-yaml">
            {out.plan.yaml}
          </pre>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-500">Apply</dt>
            <dd className="font-mono" data-testid="throttle-apply">{out.plan.applyCommand}</dd>
            <dt className="text-slate-500">Roll back</dt>
            <dd className="font-mono" data-testid="throttle-rollback">{out.plan.rollbackCommand}</dd>
          </dl>
          {[...out.plan.notes, ...out.guard.notes].map((n) => (
            <p key={n} className="text-xs text-slate-500">
              {n}
            </p>
          ))}
        </section>
      )}
    </div>
  );
}

export function ThrottleBuilder({ view, selection, onClient, serverLimit, metricSchemas }: {
  view: ViewState;
  selection: Selection;
  onClient: (client: string | null) => void;
  /** Seats of one API server, from the metrics when known. */
  serverLimit: number;
  /** The flow schemas in the metrics, when the status is known. */
  metricSchemas: FlowSchemaRow[] | null;
}) {
  const query = useAuditQuery("apf-subjects", view, selection);
  const client = selection.filters.client?.[0] ?? null;
  return (
    <QueryPanel
      id="throttle"
      title="Throttle a client with APF"
      description="Resolves the client to the users and service accounts its requests came from (a FlowSchema cannot match a user agent), then generates a small priority level of its own and a FlowSchema that sends its traffic there. apiscope never applies anything."
      query={query}
      isEmpty={(d) => d.clients.length === 0}
      emptyMessage="No audit events stored in this window: the client's users come from the audit log."
      bodyClassName=""
    >
      {(d) => (
        <div className="flex flex-col">
          <div className="flex items-center gap-2 px-3 pt-3 text-sm">
            <span className="text-slate-500">Client</span>
            <select
              value={client ?? ""}
              onChange={(ev) => onClient(ev.target.value === "" ? null : ev.target.value)}
              className="max-w-md rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
              data-testid="throttle-client"
            >
              <option value="">choose a client…</option>
              {client !== null && !d.clients.some((c) => c.client === client) && <option value={client}>{client}</option>}
              {d.clients.map((c) => (
                <option key={c.client} value={c.client}>
                  {c.client.length > 80 ? `${c.client.slice(0, 79)}…` : c.client} ({count(c.requests)})
                </option>
              ))}
            </select>
          </div>
          {/* Keyed by client: a refresh updates the evidence; the choices stay in the URL. */}
          {d.resolution && (
            <Builder key={d.resolution.client} r={d.resolution} windowSeconds={d.windowSeconds} serverLimit={serverLimit} metricSchemas={metricSchemas} />
          )}
          {d.resolution === null && <p className="p-3 text-sm text-slate-500">Choose the client to throttle, or open this page from the culprit card on the Load page.</p>}
        </div>
      )}
    </QueryPanel>
  );
}
