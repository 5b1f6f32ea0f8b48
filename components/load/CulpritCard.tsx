"use client";
// The culprit at a glance: who, how much its share rose, and the evidence an SRE needs before acting.
import Link from "next/link";
import type { ReactNode } from "react";
import { Clipped } from "@/components/view/Clipped";
import { formatUtc, formatValue } from "@/lib/format";
import type { CulpritAnswer, Shares } from "@/lib/load/culprit";
import { alsoRose, culpritHeadline, culpritTitle } from "@/lib/load/culprit-text";
import { describeShape } from "@/lib/load/fanout-text";

const pct = (x: number) => formatValue(x, "ratio");
const NONE = "—";

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-800/50">
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 text-sm font-medium tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const ACTION = "rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
/** What the SRE does next with the culprit: throttle it, or alert on it next time. */
const ACTIONS = [
  { page: "apf", label: "Throttle with APF", testId: "culprit-throttle" },
  { page: "alerts", label: "Alert on this", testId: "culprit-alert" },
] as const;

export function CulpritCard({ answer, onDrillDown, clientHref }: {
  answer: CulpritAnswer;
  onDrillDown: (client: string) => void;
  /** The APF page, or the alerts page, with this client chosen. */
  clientHref: (page: "apf" | "alerts", client: string) => string;
}) {
  const v = answer.verdict;
  const c = v.culprit;
  if (!c) return null;
  const h = answer.listHygiene;
  const first = answer.firstSeenMs;
  // The comparison the verdict used: the window before, the change inside the window, or none (steady load).
  const compared: { label: string; now: Shares; then: Shares | null } =
    v.kind === "change" && c.change
      ? { label: "after / before the change", now: c.change.after, then: c.change.before }
      : { label: "now / before", now: c.now, then: c.before };
  const also = alsoRose(v);
  return (
    <section
      aria-labelledby="culprit-title"
      data-testid="culprit-card"
      data-kind={v.kind}
      className="rounded-lg border border-red-300 bg-white p-4 dark:border-red-900/70 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 id="culprit-title" className="text-xs font-semibold tracking-wide text-red-700 uppercase dark:text-red-300" data-testid="culprit-title">
          {culpritTitle(v)}
        </h2>
        <span className="min-w-0 text-lg font-semibold" data-testid="culprit-client">
          <Clipped text={c.client} max={80} />
        </span>
        <button
          type="button"
          onClick={() => onDrillDown(c.client)}
          className={`ml-auto ${ACTION}`}
        >
          Drill down
        </button>
        {ACTIONS.map((a) => (
          <Link key={a.page} href={clientHref(a.page, c.client)} prefetch={false} data-testid={a.testId} className={ACTION}>
            {a.label}
          </Link>
        ))}
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300" data-testid="culprit-headline">
        {culpritHeadline(v)}
      </p>
      {also && (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300" data-testid="culprit-also">
          {also}
        </p>
      )}
      <dl className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-8">
        <Fact label={`Share of busy time, ${compared.label}`} testId="culprit-cost-share">
          {pct(compared.now.costShare)} / {compared.then ? pct(compared.then.costShare) : NONE}
        </Fact>
        <Fact label={`Share of requests, ${compared.label}`} testId="culprit-share">
          {pct(compared.now.share)} / {compared.then ? pct(compared.then.share) : NONE}
        </Fact>
        <Fact label="Request rate (window average)">{formatValue(c.now.requests / answer.windowSeconds, "reqps")}</Fact>
        <Fact label="429s it got">{formatValue(c.now.throttled, "count")}</Fact>
        <Fact label="429s all others got, now / before">
          {formatValue(v.othersThrottled.now, "count")} / {v.othersThrottled.before === null ? NONE : formatValue(v.othersThrottled.before, "count")}
        </Fact>
        <Fact label="Distinct sources (nodes)" testId="culprit-sources">
          {answer.sources.toLocaleString("en-US")}
        </Fact>
        <Fact label="First request" testId="culprit-first-seen">
          {first === null ? NONE : `${formatUtc(first)} UTC`}
        </Fact>
        <Fact label="Clients in the window">{v.clients.toLocaleString("en-US")}</Fact>
      </dl>
      {(answer.shapes.length > 0 || h || answer.users.length > 0) && (
        <ul className="mt-3 space-y-1 text-sm text-slate-700 dark:text-slate-200">
          {answer.users.length > 0 && (
            <li data-testid="culprit-users">
              Sent as{" "}
              {answer.users.map((u, i) => (
                <span key={u.user ?? "\u0000other"}>
                  {i > 0 && ", "}
                  {u.user === null ? "other users" : <Clipped text={u.user} max={70} />} ({formatValue(u.requests / c.now.requests, "ratio")})
                </span>
              ))}
            </li>
          )}
          {answer.shapes.map((s) => (
            <li key={`${s.verb} ${s.resource} ${s.scope}`} data-testid="culprit-shape">
              {describeShape(s)}
            </li>
          ))}
          {h && h.lists > 0 && (
            <li data-testid="culprit-hygiene">
              LIST hygiene: {pct(h.withoutRv0 / h.lists)} of {h.lists.toLocaleString("en-US")} LISTs without resourceVersion=0,{" "}
              {pct(h.withoutLimit / h.lists)} without limit, {pct(h.clusterScoped / h.lists)} cluster-wide;{" "}
              {h.watches === 0 ? "no WATCH" : `${h.watches.toLocaleString("en-US")} WATCHes`}.
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
