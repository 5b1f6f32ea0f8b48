import "server-only";
// Runs the audit queries against the store and shapes their answers for the API.
import { chooseStep } from "../../prometheus/step";
import type { AuditService } from "../service";
import { SKIP_REASONS, type SkipReason } from "../reasons";
import { FINE_ONLY_COLUMNS, ROLLUP_SECONDS, type RollupLevel } from "../rollup/rollup-sql";
import { sourcesSql, statsSql, toBreakdownRows, type BreakdownRow, type StatsRow } from "./breakdown";
import { DIMENSION_COLUMNS, formatResource, type Dimension, type ResourceKey } from "./params";
import { collateralSql, groupsSql, shapesSql, usersSql } from "./apf-subjects";
import { eventsSql } from "./events";
import { fanoutSql, toFanoutRows, type FanoutRow } from "./fanout";
import { listHygieneSql, toListHygieneRows, type ListHygieneRow } from "./list-hygiene";
import type { AuditStatus, SourceStatus } from "../types";
import type { AuditRequest } from "./request";
import { timeseriesSql, toGroupSeries, type GroupSeries } from "./timeseries";
import { scoreCulprits, type CulpritAnswer } from "../../load/culprit";
import { clientSeriesSql, seriesStepSeconds, toClientLoads, toWindowSeries, type ClientSeriesRow } from "./client-series";
import { resolveClient, type Resolution } from "../../apf/resolve";
import { slowRequestsSql, toWebhookAudit, webhookAuditSql, type WebhookAuditAnswer } from "./webhooks";

const seconds = (r: AuditRequest) => Math.max(1, (r.window.toMs - r.window.fromMs) / 1000);

/** The coarse rollups hold every dimension but the user and the source: use them unless those are asked for. */
function levelFor(r: AuditRequest): RollupLevel {
  const dims = [...r.groupBy, ...(Object.keys(r.filters) as Dimension[])];
  return dims.some((d) => DIMENSION_COLUMNS[d].some((c) => FINE_ONLY_COLUMNS.includes(c))) ? "fine" : "coarse";
}

export interface BreakdownAnswer {
  groupBy: string[];
  windowSeconds: number;
  total: number;
  rows: Array<BreakdownRow & { rate: number; share: number }>;
}

export async function runBreakdown(svc: AuditService, r: AuditRequest): Promise<BreakdownAnswer> {
  const q = { window: r.window, groupBy: r.groupBy, filters: r.filters, top: r.top };
  const [agg, fine] = await Promise.all([
    svc.aggregate(r.window.fromMs, r.window.toMs, { level: levelFor(r) }),
    svc.aggregate(r.window.fromMs, r.window.toMs, { level: "fine" }),
  ]);
  const st = statsSql(agg, q);
  const src = sourcesSql(fine, q);
  const [stats, pairs] = await Promise.all([svc.store.query<StatsRow>(st.sql, st.params), svc.store.query(src.sql, src.params)]);
  const rows = toBreakdownRows(stats, pairs, q);
  const total = rows.reduce((a, row) => a + row.requests, 0);
  const s = seconds(r);
  return {
    groupBy: r.groupBy,
    windowSeconds: s,
    total,
    rows: rows.map((row) => ({ ...row, rate: row.requests / s, share: total === 0 ? 0 : row.requests / total })),
  };
}

export interface TimeseriesAnswer {
  groupBy: string[];
  bucketSeconds: number;
  startMs: number;
  endMs: number;
  series: GroupSeries[];
}

export async function runTimeseries(svc: AuditService, r: AuditRequest): Promise<TimeseriesAnswer> {
  const bucketSeconds = chooseStep(seconds(r), r.widthPx, 1);
  const q = { window: r.window, groupBy: r.groupBy, filters: r.filters, top: r.top, bucketSeconds };
  // Counts over time need only the grouped and filtered columns, and no latency.
  const keys = [...new Set([...r.groupBy, ...(Object.keys(r.filters) as Dimension[])].flatMap((d) => DIMENSION_COLUMNS[d]))];
  const agg = await svc.aggregate(r.window.fromMs, r.window.toMs, { bucketSeconds, level: levelFor(r), only: { keys, histogram: false } });
  const { sql, params } = timeseriesSql(agg, q);
  const series = toGroupSeries(await svc.store.query(sql, params), q);
  return { groupBy: r.groupBy, bucketSeconds, startMs: r.window.fromMs, endMs: r.window.toMs, series };
}

export async function runFanout(svc: AuditService, r: AuditRequest): Promise<{ windowSeconds: number; rows: FanoutRow[] }> {
  const agg = await svc.aggregate(r.window.fromMs, r.window.toMs);
  const { sql, params } = fanoutSql(agg, { window: r.window, filters: r.filters, top: r.top });
  return { windowSeconds: seconds(r), rows: toFanoutRows(await svc.store.query(sql, params)) };
}

export async function runListHygiene(svc: AuditService, r: AuditRequest, byResource: boolean): Promise<{ rows: ListHygieneRow[] }> {
  const agg = await svc.aggregate(r.window.fromMs, r.window.toMs, { level: levelFor(r) });
  const { sql, params } = listHygieneSql(agg, { window: r.window, filters: r.filters, top: r.top, byResource });
  return { rows: toListHygieneRows(await svc.store.query(sql, params), byResource) };
}

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
  const answer: CulpritAnswer = { windowSeconds: seconds(r), verdict, sources: 0, users: [], shapes: [], listHygiene: null, firstSeenMs: null };
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

export async function runEvents(svc: AuditService, r: AuditRequest): Promise<{ events: Array<Record<string, unknown>>; next: string | null }> {
  const rel = await svc.relation(r.window.fromMs, r.window.toMs);
  const { sql, params } = eventsSql(rel, { window: r.window, filters: r.filters, limit: r.limit, cursor: r.cursor });
  const rows = await svc.store.query(sql, params);
  const page = rows.slice(0, r.limit);
  const last = page[page.length - 1];
  return { events: page, next: rows.length > r.limit && last ? `${last.ts}:${last.audit_id}` : null };
}

/** Which webhooks ran on which requests, how long requests waited on them, and whether that can be known. */
export async function runWebhooks(svc: AuditService, r: AuditRequest): Promise<WebhookAuditAnswer> {
  const rel = await svc.relation(r.window.fromMs, r.window.toMs);
  const q = { window: r.window, filters: r.filters, top: r.top };
  const { sql, params } = webhookAuditSql(rel, q);
  const [row] = await svc.store.query(sql, params);
  // Slow requests are counted only to explain missing annotations.
  let slow: number | null = null;
  if (row?.annotated !== true) {
    const s = slowRequestsSql(rel, q);
    slow = Number((await svc.store.query<{ slow: number }>(s.sql, s.params))[0]?.slow ?? 0);
  }
  return toWebhookAudit(row, slow);
}

export interface ApfSubjectsAnswer {
  windowSeconds: number;
  /** The busiest clients of the window, to choose from. */
  clients: Array<{ client: string; requests: number }>;
  /** The chosen client (the `client` filter) resolved to APF subjects; null when none is chosen. */
  resolution: Resolution | null;
}

/** Other clients' requests from the same users listed at most. */
const COLLATERAL_ROWS = 200;

const keyed = (a: BreakdownAnswer) => a.rows.filter((row): row is typeof row & { keys: string[] } => row.keys !== null);

/** A client's traffic as a FlowSchema can match it: users, groups, verbs, resources, namespaces, and collateral. */
export async function runApfSubjects(svc: AuditService, r: AuditRequest): Promise<ApfSubjectsAnswer> {
  const client = r.filters.client?.[0];
  const clients = await runBreakdown(svc, { ...r, filters: {}, groupBy: ["client"], top: 20 });
  const answer: ApfSubjectsAnswer = { windowSeconds: seconds(r), clients: keyed(clients).map((row) => ({ client: row.keys[0]!, requests: row.requests })), resolution: null };
  if (client === undefined) return answer;
  const [fine, rel] = await Promise.all([svc.aggregate(r.window.fromMs, r.window.toMs, { level: "fine" }), svc.relation(r.window.fromMs, r.window.toMs)]);
  type UserRow = { username: string; requests: number; seconds: number };
  type ShapeRow = ResourceKey & { username: string; verb: string; namespace: string | null; requests: number };
  const [users, shapes, groups, others] = await Promise.all([
    svc.store.query<UserRow>(usersSql(fine), [client]),
    svc.store.query<ShapeRow>(shapesSql(fine), [client]),
    svc.store.query<{ username: string; groups: string[] | null }>(groupsSql(rel), [client]),
    svc.store.query<{ username: string; client: string | null; requests: number }>(collateralSql(fine, COLLATERAL_ROWS), [client]),
  ]);
  const groupsOf = new Map(groups.map((g) => [g.username, g.groups ?? []]));
  answer.resolution = resolveClient({
    client,
    windowSeconds: seconds(r),
    users: users.map((u) => ({ user: u.username, groups: groupsOf.get(u.username) ?? [], requests: Number(u.requests), seconds: Number(u.seconds) })),
    shapes: shapes.map((x) => ({ user: x.username, verb: x.verb, resource: formatResource(x), namespace: x.namespace || null, requests: Number(x.requests) })),
    others: others.map((o) => ({ user: o.username, client: o.client, requests: Number(o.requests) })),
  });
  return answer;
}

export async function auditStatus(svc: AuditService): Promise<AuditStatus> {
  const counts = await svc.store.query<{ source: string; outcome: string; count: number }>("SELECT source, outcome, count FROM ingest_counts ORDER BY source");
  const samples = await svc.store.query<{ source: string; reason: SkipReason; detail: string; line: number | null }>(
    "SELECT source, reason, detail, line FROM skip_samples ORDER BY recorded_at",
  );
  const uploads = await svc.store.query<{ source: string; at: number }>("SELECT source, uploaded_at AS at FROM uploads");
  const uploadedAt = new Map(uploads.map((u) => [u.source, u.at]));
  const bySource = new Map<string, SourceStatus>();
  const get = (source: string) => {
    let s = bySource.get(source);
    if (!s) bySource.set(source, (s = { source, accepted: 0, open: 0, merged: 0, uploadedMs: uploadedAt.get(source) ?? null, skipped: {}, samples: [] }));
    return s;
  };
  for (const c of counts) {
    const s = get(c.source);
    if (c.outcome === "accepted") s.accepted = c.count;
    else if (c.outcome === "open") s.open = c.count;
    else if (c.outcome === "merged") s.merged = c.count;
    else if (c.outcome.startsWith("skipped:")) s.skipped[c.outcome.slice(8) as SkipReason] = c.count;
  }
  // An upload whose every line was blank has no counts, yet it was uploaded: listed, so that it can be deleted.
  for (const u of uploads) get(u.source);
  for (const x of samples) get(x.source).samples.push({ reason: x.reason, detail: x.detail, line: x.line });
  const [seg] = await svc.store.query<{ n: number; bytes: number; rows: number; oldest: number | null; newest: number | null }>(
    "SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes, coalesce(sum(rows), 0) AS rows, min(min_ts) AS oldest, max(max_ts) AS newest FROM segments",
  );
  const [hot] = await svc.store.query<{ n: number; oldest: number | null; newest: number | null; open: number }>(
    "SELECT count(*) AS n, min(ts) AS oldest, max(ts) AS newest, (SELECT count(*) FROM open_requests) AS open FROM events_hot",
  );
  const oldest = [seg?.oldest, hot?.oldest].filter((v): v is number => typeof v === "number");
  const newest = [seg?.newest, hot?.newest].filter((v): v is number => typeof v === "number");
  return {
    sources: [...bySource.values()],
    store: {
      requests: (seg?.rows ?? 0) + (hot?.n ?? 0),
      segments: seg?.n ?? 0,
      segmentBytes: seg?.bytes ?? 0,
      hotRows: hot?.n ?? 0,
      openRequests: hot?.open ?? 0,
      oldestMs: oldest.length ? Math.min(...oldest) : null,
      newestMs: newest.length ? Math.max(...newest) : null,
    },
    webhook: { mode: svc.config.webhook.mode, backlogBytes: svc.webhook.backlogBytes },
    files: svc.config.files,
    reasons: SKIP_REASONS,
  };
}
