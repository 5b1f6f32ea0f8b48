import "server-only";
// The culprit of a window from the audit store: candidates' bucketed series now and before, scored in culprit.ts,
// then the evidence about the one named.
import type { AuditService } from "../audit/service";
import { ROLLUP_SECONDS } from "../audit/rollup/rollup-sql";
import { windowSeconds, type AuditRequest } from "../audit/query/request";
import { runBreakdown, runFanout, runListHygiene } from "../audit/query/run";
import { clientSeriesSql, seriesStepSeconds, toClientLoads, toWindowSeries, type ClientSeriesRow } from "./client-series";
import { scoreCulprits, type CulpritAnswer } from "./culprit";

/** How many of the busiest clients (by requests, and by busy time) are candidates. */
const CULPRIT_CANDIDATES = 50;

/**
 * The culprit of a window and its evidence: its sources, users, request shapes with the most sources, LIST hygiene,
 * and when it first sent a request (from the start of the window before). Filters other than `client` apply.
 */
export async function runCulprit(svc: AuditService, r: AuditRequest): Promise<CulpritAnswer> {
  const { client: _ignored, ...filters } = r.filters;
  const span = r.window.toMs - r.window.fromMs;
  const before = { fromMs: r.window.fromMs - span, toMs: r.window.fromMs };
  const step = seriesStepSeconds(span / 1000, ROLLUP_SECONDS);
  const nowAgg = await svc.aggregate(r.window.fromMs, r.window.toMs, { level: "coarse", bucketSeconds: step });
  const nowQ = clientSeriesSql(nowAgg, { filters, stepSeconds: step, top: CULPRIT_CANDIDATES });
  const nowRows = await svc.store.query<ClientSeriesRow>(nowQ.sql, nowQ.params);
  const now = toClientLoads(nowRows);
  const candidates = now.flatMap((l) => (l.client === null ? [] : [l.client]));
  const beforeAgg = await svc.aggregate(before.fromMs, before.toMs, { level: "coarse" });
  const beforeQ = clientSeriesSql(beforeAgg, { filters, stepSeconds: ROLLUP_SECONDS, top: CULPRIT_CANDIDATES, clients: candidates });
  const beforeRows = await svc.store.query<ClientSeriesRow>(beforeQ.sql, beforeQ.params);
  const earlier = toClientLoads(beforeRows);
  const verdict = scoreCulprits({ now, before: earlier, series: toWindowSeries(nowRows, r.window, step) });
  const answer: CulpritAnswer = { windowSeconds: windowSeconds(r), verdict, sources: 0, users: [], shapes: [], listHygiene: null, firstSeenMs: null };
  if (!verdict.culprit) return answer;
  const only = { ...r, filters: { ...filters, client: [verdict.culprit.client] } };
  const culprit = verdict.culprit.client;
  const [users, fanout, hygiene, sources] = await Promise.all([
    runBreakdown(svc, { ...only, groupBy: ["user"], top: 3 }),
    runFanout(svc, { ...only, top: 3 }),
    runListHygiene(svc, { ...only, top: 1 }, false),
    runBreakdown(svc, { ...only, groupBy: ["client"], top: 1 }),
  ]);
  // Its first request since the start of the window before: both series queries already hold it.
  const firsts = [...beforeRows, ...nowRows].filter((row) => row.client === culprit && row.first !== null).map((row) => Number(row.first));
  return {
    ...answer,
    sources: sources.rows[0]?.sources ?? 0,
    users: users.rows.map((u) => ({ user: u.keys?.[0] ?? null, requests: u.requests })),
    shapes: fanout.rows,
    listHygiene: hygiene.rows[0] ?? null,
    firstSeenMs: firsts.length > 0 ? Math.min(...firsts) : null,
  };
}
