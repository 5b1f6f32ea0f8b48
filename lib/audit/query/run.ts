import "server-only";
// Runs the generic audit queries against the store and shapes their answers for the API. Feature answers built on
// them (the culprit, APF subjects, webhooks seen in the log) live in their feature folders.
import { chooseStep } from "../../prometheus/step";
import type { AuditService } from "../service";
import { SKIP_REASONS, type SkipReason } from "../reasons";
import { FINE_ONLY_COLUMNS, type RollupLevel } from "../rollup/rollup-sql";
import { sourcesSql, statsSql, toBreakdownRows, type StatsRow } from "./breakdown";
import { DIMENSION_COLUMNS, type Dimension } from "../dimensions";
import { eventsSql } from "./events";
import { fanoutSql, toFanoutRows } from "./fanout";
import { listHygieneSql, toListHygieneRows } from "./list-hygiene";
import type { AuditStatus, SourceStatus } from "../types";
import { windowSeconds, type AuditRequest } from "./request";
import { timeseriesSql, toGroupSeries } from "./timeseries";
import type { BreakdownAnswer, EventRow, EventsAnswer, FanoutAnswer, ListHygieneAnswer, TimeseriesAnswer } from "../answers";


/** The coarse rollups hold every dimension but the user and the source: use them unless those are asked for. */
function levelFor(r: AuditRequest): RollupLevel {
  const dims = [...r.groupBy, ...(Object.keys(r.filters) as Dimension[])];
  return dims.some((d) => DIMENSION_COLUMNS[d].some((c) => FINE_ONLY_COLUMNS.includes(c))) ? "fine" : "coarse";
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
  const s = windowSeconds(r);
  return {
    groupBy: r.groupBy,
    windowSeconds: s,
    total,
    rows: rows.map((row) => ({ ...row, rate: row.requests / s, share: total === 0 ? 0 : row.requests / total })),
  };
}


export async function runTimeseries(svc: AuditService, r: AuditRequest): Promise<TimeseriesAnswer> {
  const bucketSeconds = chooseStep(windowSeconds(r), r.widthPx, 1);
  const q = { window: r.window, groupBy: r.groupBy, filters: r.filters, top: r.top, bucketSeconds };
  // Counts over time need only the grouped and filtered columns, and no latency.
  const keys = [...new Set([...r.groupBy, ...(Object.keys(r.filters) as Dimension[])].flatMap((d) => DIMENSION_COLUMNS[d]))];
  const agg = await svc.aggregate(r.window.fromMs, r.window.toMs, { bucketSeconds, level: levelFor(r), only: { keys, histogram: false } });
  const { sql, params } = timeseriesSql(agg, q);
  const series = toGroupSeries(await svc.store.query(sql, params), q);
  return { groupBy: r.groupBy, bucketSeconds, startMs: r.window.fromMs, endMs: r.window.toMs, series };
}

export async function runFanout(svc: AuditService, r: AuditRequest): Promise<FanoutAnswer> {
  const agg = await svc.aggregate(r.window.fromMs, r.window.toMs);
  const { sql, params } = fanoutSql(agg, { window: r.window, filters: r.filters, top: r.top });
  return { windowSeconds: windowSeconds(r), rows: toFanoutRows(await svc.store.query(sql, params)) };
}

export async function runListHygiene(svc: AuditService, r: AuditRequest, byResource: boolean): Promise<ListHygieneAnswer> {
  const agg = await svc.aggregate(r.window.fromMs, r.window.toMs, { level: levelFor(r) });
  const { sql, params } = listHygieneSql(agg, { window: r.window, filters: r.filters, top: r.top, byResource });
  return { rows: toListHygieneRows(await svc.store.query(sql, params), byResource) };
}

export async function runEvents(svc: AuditService, r: AuditRequest): Promise<EventsAnswer> {
  const rel = await svc.relation(r.window.fromMs, r.window.toMs);
  const { sql, params } = eventsSql(rel, { window: r.window, filters: r.filters, limit: r.limit, cursor: r.cursor });
  const rows = await svc.store.query<EventRow>(sql, params);
  const page = rows.slice(0, r.limit);
  const last = page[page.length - 1];
  return { events: page, next: rows.length > r.limit && last ? `${last.ts}:${last.audit_id}` : null };
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
