"use client";
// Webhooks as the audit log saw them per request: which ran (mutated or not, failed open), how long requests waited
// on them, whose requests wait most, and the slowest requests with the webhooks that ran on them.
import Link from "next/link";
import type { ReactNode } from "react";
import { useAuditQuery } from "@/lib/client/hooks";
import { QueryPanel } from "@/components/panels/QueryPanel";
import { PanelFrame } from "@/components/panels/PanelFrame";
import { PanelMessage } from "@/components/panels/PanelStates";
import { Clipped } from "@/components/view/Clipped";
import { auditParams } from "@/lib/client/api";
import type { WebhookAuditAnswer, WebhookWait } from "@/lib/webhooks/audit-types";
import { formatUtc, formatValue } from "@/lib/format";
import { DEFAULT_SELECTION, type ViewState } from "@/lib/url-state";
import { latencyCoverageNote } from "@/lib/webhooks/audit-coverage";

const TOP = { top: "10" };
const th = "px-2 py-1 font-medium";
const count = (n: number) => n.toLocaleString("en-US");

function Table({ testId, head, children }: { testId: string; head: Array<[string, "left" | "right"]>; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            {head.map(([h, align]) => (
              <th key={h} scope="col" className={`${th} ${align === "left" ? "text-left" : "text-right"}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

const row = "border-t border-slate-100 dark:border-slate-800";
const num = "px-2 py-1 text-right tabular-nums";
const cell = "px-2 py-1";

function Waits({ waits }: { waits: WebhookWait[] }) {
  if (waits.length === 0) return null;
  return (
    <dl className="grid grid-cols-1 gap-2 sm:grid-cols-2" data-testid="webhook-waits">
      {waits.map((w) => (
        <div key={w.kind} data-kind={w.kind}>
          <dt className="text-xs text-slate-500">
            Waiting on {w.kind} webhooks ({w.kind === "mutating" ? "run one after another: summed" : "run in parallel: the slowest"}), {count(w.requests)} requests
          </dt>
          <dd className="font-medium tabular-nums">
            p50 {formatValue(w.p50, "seconds")} · p99 {formatValue(w.p99, "seconds")} · max {formatValue(w.max, "seconds")} ·{" "}
            {formatValue(w.share, "ratio")} of those requests&apos; latency
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Answer({ a, view }: { a: WebhookAuditAnswer; view: ViewState }) {
  const note = latencyCoverageNote(a);
  const drill = (client: string, verb: string, resource: string) =>
    `/load?${auditParams(view, { ...DEFAULT_SELECTION, filters: { client: [client], verb: [verb], resource: [resource] } })}`;
  return (
    <div className="flex flex-col gap-3 p-2">
      <p
        data-testid="latency-annotations"
        data-coverage={a.latencyAnnotations}
        className={note.tone === "notice" ? "rounded border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/30 dark:text-amber-200" : "text-xs text-slate-500"}
      >
        {note.text}
      </p>
      <Waits waits={a.waits} />
      {a.webhooks.length > 0 && (
        <>
          <h3 className="text-xs font-medium text-slate-500">Webhooks that ran (validating webhooks leave an annotation only when they fail open)</h3>
          <Table
          testId="audit-webhooks-table"
          head={[["Webhook", "left"], ["Configuration", "left"], ["Requests it ran on", "right"], ["Mutated", "right"], ["Failed open", "right"], ["Mostly on", "left"]]}
        >
          {a.webhooks.map((w) => (
            <tr key={`${w.type}:${w.webhook}`} className={row} data-webhook={w.webhook} data-type={w.type}>
              <td className={cell}>
                <Clipped text={w.webhook} max={48} /> <span className="text-xs text-slate-500">({w.type})</span>
              </td>
              <td className={cell}>
                <Clipped text={w.configuration} max={32} empty="–" />
              </td>
              <td className={num}>{w.type === "validating" ? "–" : count(w.requests)}</td>
              <td className={num}>{w.type === "validating" ? "–" : count(w.mutated)}</td>
              <td className={`${num} ${w.failedOpen > 0 ? "font-semibold text-amber-700 dark:text-amber-300" : ""}`}>{count(w.failedOpen)}</td>
              <td className={cell}>
                <Clipped text={w.targets.join(", ")} max={60} empty="–" />
              </td>
            </tr>
          ))}
          </Table>
        </>
      )}
      {a.shapes.length > 0 && (
        <>
          <h3 className="text-xs font-medium text-slate-500">Whose requests wait on webhooks (click for their requests)</h3>
          <Table
            testId="webhook-shapes-table"
            head={[["Client", "left"], ["Request", "left"], ["Requests", "right"], ["Time in webhooks", "right"], ["p99", "right"], ["Of their latency", "right"]]}
          >
            {a.shapes.map((s) => (
              <tr key={`${s.client} ${s.verb} ${s.resource}`} className={row} data-client={s.client}>
                <td className={cell}>
                  <Link href={drill(s.client, s.verb, s.resource)} className="hover:text-sky-600 hover:underline" title="Show these requests on the Load page">
                    <Clipped text={s.client} max={40} />
                  </Link>
                </td>
                <td className={cell}>
                  {s.verb} <Clipped text={s.resource} max={40} />
                </td>
                <td className={num}>{count(s.requests)}</td>
                <td className={num}>{formatValue(s.seconds, "seconds")}</td>
                <td className={num}>{formatValue(s.p99, "seconds")}</td>
                <td className={num}>{formatValue(s.share, "ratio")}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
      {a.slowest.length > 0 && (
        <>
          <h3 className="text-xs font-medium text-slate-500">Requests that waited longest, with the webhooks that ran on them</h3>
          <Table
            testId="webhook-requests-table"
            head={[["Time (UTC)", "left"], ["Client", "left"], ["Request", "left"], ["Code", "right"], ["Webhooks (mutated ✱)", "left"], ["Mutating", "right"], ["Validating", "right"], ["Total", "right"]]}
          >
            {a.slowest.map((e) => (
              <SlowRequest key={String(e.audit_id)} e={e} />
            ))}
          </Table>
        </>
      )}
    </div>
  );
}

const seconds = (v: unknown) => formatValue(typeof v === "number" ? v : null, "seconds");

function SlowRequest({ e }: { e: Record<string, unknown> }) {
  const ran = Array.isArray(e.webhooks) ? (e.webhooks as Array<{ webhook: string | null; mutated: boolean | null }>) : [];
  const failed = Array.isArray(e.failed_open) ? (e.failed_open as string[]) : [];
  const webhooks = [...ran.map((w) => `${w.webhook ?? "?"}${w.mutated ? " ✱" : ""}`), ...failed.map((w) => `${w} (failed open)`)].join(", ");
  return (
    <tr className={row}>
      <td className={`${cell} whitespace-nowrap tabular-nums`}>{typeof e.ts === "number" ? formatUtc(e.ts) : ""}</td>
      <td className={cell}>
        <Clipped text={typeof e.client === "string" ? e.client : null} max={28} />
      </td>
      <td className={`${cell} max-w-md`}>
        {String(e.verb ?? "")} <Clipped text={typeof e.request_uri === "string" ? e.request_uri : null} max={70} wrap />
      </td>
      <td className={num}>{String(e.code ?? "")}</td>
      <td className={cell}>
        <Clipped text={webhooks} max={60} empty="–" />
      </td>
      <td className={num}>{seconds(e.lat_mutating_webhook_s)}</td>
      <td className={num}>{seconds(e.lat_validating_webhook_s)}</td>
      <td className={num}>{seconds(e.latency_s)}</td>
    </tr>
  );
}

const TITLE = "Per request, from the audit log";
const DESCRIPTION =
  "Which webhooks ran on which requests (mutation annotations: mutated or not), which failed open, and how long requests waited on webhooks (latency annotations, written only for requests slower than 500 ms).";

/** `hasAudit`: whether any audit event is stored (undefined while unknown). */
export function AuditWebhooks({ view, hasAudit }: { view: ViewState; hasAudit: boolean | undefined }) {
  const query = useAuditQuery("webhooks", view, DEFAULT_SELECTION, TOP, hasAudit !== false);
  if (hasAudit === false) {
    return (
      <PanelFrame id="audit-webhooks" title={TITLE} description={DESCRIPTION} state="not-covered" refreshing={false} bodyClassName="h-40">
        <PanelMessage
          tone="notice"
          title="No audit events stored"
          message="Audit logs show which webhooks ran on which requests and how long each request waited on them. Point APISCOPE_AUDIT_FILES at the audit log, send the audit webhook to /api/audit/webhook, or upload a log on the Audit logs page."
        />
      </PanelFrame>
    );
  }
  return (
    <QueryPanel
      id="audit-webhooks"
      title={TITLE}
      description={DESCRIPTION}
      query={query}
      isEmpty={(d) => d.webhooks.length === 0 && d.slowest.length === 0 && d.latencyAnnotations !== "not-written"}
      emptyMessage="No request in this window carries webhook annotations."
      bodyClassName=""
    >
      {(d) => <Answer a={d} view={view} />}
    </QueryPanel>
  );
}
