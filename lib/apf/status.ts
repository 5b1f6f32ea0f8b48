import "server-only";
// The API Priority and Fairness status of a window: per priority level its seats, peaks, queue wait, dispatches and
// rejections, and a state that makes a level that rejects or queues stand out; per flow schema what it dispatched
// and what was rejected — from the API servers' own metrics.
import type { Config } from "../config";
import { formatSeconds, formatValue } from "../format";
import { MAX_SERIES_FETCHED, prepareQuery, type PanelRequest } from "../panels/run-panel";
import { NO_APF_METRICS } from "../panels/panel-def";
import { assertSeriesLimit, PrometheusError } from "../prometheus/errors";
import type { Gateway } from "../prometheus/gateway";
import { hasApf } from "../prometheus/schema";
import type { InstantSample, Labels } from "../prometheus/types";
import { rangeProblem } from "../time-range";
import { APF_METRICS, apfInUseMetric } from "../prometheus/apf-metrics";
import { peakStepSeconds, statusQueries } from "./status-queries";
import {
  LEVEL_STATES,
  type ApfStatus,
  type FlowSchemaRow,
  type LevelOnServer,
  type LevelState,
  type PriorityLevelRow,
  type ServerLimit,
} from "./status-types";

/** A level whose queue wait p99 exceeds this is queuing. */
export const QUEUING_WAIT_SECONDS = 0.05;
/** A level whose peak seats in use reach this share of its nominal seats (on one API server) is saturated. */
export const SATURATED_SHARE = 0.9;

export interface ApfAnswers {
  windowSeconds: number;
  /** Null: this Prometheus lacks the family (the matching fields stay null). */
  nominal: InstantSample[] | null;
  peakInUse: InstantSample[] | null;
  peakQueued: InstantSample[] | null;
  waitP99: InstantSample[] | null;
  dispatched: InstantSample[] | null;
  rejected: InstantSample[] | null;
  /** --max-requests-inflight + --max-mutating-requests-inflight as configured in apiscope: the fallback limit. */
  configLimit: number;
}

const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
const num = (v: number | null) => finite(v) ?? 0;
const count = (n: number) => Math.round(n).toLocaleString("en-US");
const maxOf = (values: Array<number | null>) =>
  values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);
/** An API server's name: its instance, prefixed with its cluster only when the answers span several. */
function serverNamer(answers: Array<InstantSample[] | null>): (l: Labels) => string {
  const clusters = new Set(answers.flatMap((a) => (a ?? []).map((s) => s.labels.cluster).filter(Boolean)));
  return clusters.size > 1 ? (l) => [l.cluster, l.instance || l.job].filter(Boolean).join("/") : (l) => l.instance || l.job || "";
}

const utilisation = (s: LevelOnServer) => (s.peakInUse !== null && s.nominalSeats ? s.peakInUse / s.nominalSeats : null);

/** The server whose seats of the level were fullest (the most in use, for a level without seats); null without any. */
function busiestServer(servers: LevelOnServer[]): LevelOnServer | null {
  const known = servers.filter((s) => s.peakInUse !== null || s.nominalSeats !== null);
  const rank = (s: LevelOnServer) => [utilisation(s) ?? -1, s.peakInUse ?? -1] as const;
  return (
    [...known].sort((a, b) => {
      const [ua, pa] = rank(a);
      const [ub, pb] = rank(b);
      return ub - ua || pb - pa || a.server.localeCompare(b.server);
    })[0] ?? null
  );
}

function stateOf(r: PriorityLevelRow): LevelState {
  if (r.rejected > 0) return "rejecting";
  if ((r.waitP99 ?? 0) > QUEUING_WAIT_SECONDS || (r.peakQueued ?? 0) > 0) return "queuing";
  if ((r.peakUtilisation ?? 0) >= SATURATED_SHARE) return "saturated";
  return "ok";
}

/** Every finding, not only the one that decided the state: a rejecting level usually also queues. */
function reasonsOf(r: PriorityLevelRow): string[] {
  const out: string[] = [];
  if (r.rejected > 0) {
    const reasons = r.rejectedByReason.map((x) => `${x.reason} ${count(x.count)}`).join(", ");
    out.push(`rejected ${count(r.rejected)} requests (${formatValue(r.rejectedPerSecond, "reqps")}): ${reasons}`);
  }
  if ((r.waitP99 ?? 0) > QUEUING_WAIT_SECONDS) out.push(`queue wait p99 ${formatSeconds(r.waitP99!)}`);
  if ((r.peakQueued ?? 0) > 0) out.push(`up to ${count(r.peakQueued!)} requests queued on one API server`);
  if ((r.peakUtilisation ?? 0) >= SATURATED_SHARE) {
    out.push(`up to ${formatValue(r.peakUtilisation, "ratio")} of its nominal seats in use on one API server`);
  }
  return out;
}

function serverLimitOf(nominal: InstantSample[] | null, configLimit: number, serverOf: (l: Labels) => string): ServerLimit {
  const perServer = new Map<string, number>();
  for (const s of nominal ?? []) perServer.set(serverOf(s.labels), (perServer.get(serverOf(s.labels)) ?? 0) + num(s.value));
  if (perServer.size === 0) {
    return {
      seats: configLimit,
      source: "config",
      perServer: [],
      note:
        "The metrics give no APF seats: this is apiscope's configured APISCOPE_MAX_REQUESTS_INFLIGHT + " +
        "APISCOPE_MAX_MUTATING_REQUESTS_INFLIGHT (Kubernetes' defaults are 400 + 200)",
    };
  }
  const servers = [...perServer].map(([server, seats]) => ({ server, seats })).sort((a, b) => a.server.localeCompare(b.server));
  return {
    seats: Math.max(...servers.map((s) => s.seats)),
    source: "metrics",
    perServer: servers,
    // ceil(limit × shares / sum of shares) per level: the sum overshoots by less than one seat per level.
    note:
      "The sum of the priority levels' nominal seats on one API server: each level's share is rounded up, so it can exceed " +
      "--max-requests-inflight + --max-mutating-requests-inflight by up to one seat per level (e.g. 602 for the default 600)",
  };
}

/** Turns the answers into rows; pure, so the shaping is tested without Prometheus. */
export function shapeApfStatus(a: ApfAnswers): { levels: PriorityLevelRow[]; flowSchemas: FlowSchemaRow[]; serverLimit: ServerLimit } {
  const serverOf = serverNamer([a.nominal, a.peakInUse, a.peakQueued]);
  const rows = new Map<string, PriorityLevelRow>();
  const servers = new Map<string, Map<string, LevelOnServer>>();
  const level = (name: string) => {
    let r = rows.get(name);
    if (!r) {
      r = {
        name,
        state: "ok",
        reasons: [],
        busiestServer: null,
        nominalSeats: null,
        servers: [],
        peakInUse: null,
        peakUtilisation: null,
        peakQueued: null,
        waitP99: null,
        dispatched: 0,
        dispatchedPerSecond: 0,
        rejected: 0,
        rejectedPerSecond: 0,
        rejectedByReason: [],
      };
      rows.set(name, r);
      servers.set(name, new Map());
    }
    return r;
  };
  const onServer = (l: Labels) => {
    const byServer = servers.get(level(l.priority_level ?? "").name)!;
    const server = serverOf(l);
    let s = byServer.get(server);
    if (!s) {
      s = { server, nominalSeats: null, peakInUse: null, peakQueued: null };
      byServer.set(server, s);
    }
    return s;
  };
  for (const s of a.nominal ?? []) onServer(s.labels).nominalSeats = finite(s.value);
  for (const s of a.peakInUse ?? []) onServer(s.labels).peakInUse = finite(s.value);
  for (const s of a.peakQueued ?? []) onServer(s.labels).peakQueued = finite(s.value);
  for (const s of a.waitP99 ?? []) level(s.labels.priority_level ?? "").waitP99 = finite(s.value);

  const flows = new Map<string, FlowSchemaRow>();
  const flow = (l: Labels) => {
    const key = JSON.stringify([l.flow_schema ?? "", l.priority_level ?? ""]);
    let f = flows.get(key);
    if (!f) {
      f = {
        name: l.flow_schema ?? "",
        priorityLevel: l.priority_level ?? "",
        dispatched: 0,
        dispatchedPerSecond: 0,
        rejected: 0,
        rejectedPerSecond: 0,
      };
      flows.set(key, f);
    }
    return f;
  };
  for (const s of a.dispatched ?? []) {
    const n = num(s.value);
    flow(s.labels).dispatched += n;
    level(s.labels.priority_level ?? "").dispatched += n;
  }
  const byReason = new Map<string, Map<string, number>>();
  for (const s of a.rejected ?? []) {
    const n = num(s.value);
    if (n <= 0) continue;
    flow(s.labels).rejected += n;
    const r = level(s.labels.priority_level ?? "");
    r.rejected += n;
    const reasons = byReason.get(r.name) ?? new Map<string, number>();
    reasons.set(s.labels.reason ?? "", (reasons.get(s.labels.reason ?? "") ?? 0) + n);
    byReason.set(r.name, reasons);
  }

  const perSecond = (n: number) => (a.windowSeconds > 0 ? n / a.windowSeconds : 0);
  const levels = [...rows.values()];
  for (const r of levels) {
    r.servers = [...servers.get(r.name)!.values()].sort((x, y) => x.server.localeCompare(y.server));
    // Seats, peak and utilisation all of one API server, the busiest: each server has seats of its own, so a sum
    // over servers next to one server's peak would read as headroom that no server has.
    const busiest = busiestServer(r.servers);
    r.busiestServer = busiest?.server ?? null;
    r.nominalSeats = busiest?.nominalSeats ?? null;
    r.peakInUse = busiest?.peakInUse ?? null;
    r.peakUtilisation = busiest ? utilisation(busiest) : null;
    r.peakQueued = maxOf(r.servers.map((s) => s.peakQueued));
    r.dispatchedPerSecond = perSecond(r.dispatched);
    r.rejectedPerSecond = perSecond(r.rejected);
    r.rejectedByReason = [...(byReason.get(r.name) ?? [])]
      .map(([reason, n]) => ({ reason, count: n, perSecond: perSecond(n) }))
      .sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason));
    r.state = stateOf(r);
    r.reasons = reasonsOf(r);
  }
  const rank = (s: LevelState) => LEVEL_STATES.indexOf(s);
  levels.sort(
    (x, y) =>
      rank(x.state) - rank(y.state) ||
      y.rejectedPerSecond - x.rejectedPerSecond ||
      (y.waitP99 ?? -1) - (x.waitP99 ?? -1) ||
      (y.peakUtilisation ?? -1) - (x.peakUtilisation ?? -1) ||
      y.dispatched - x.dispatched ||
      x.name.localeCompare(y.name),
  );
  const flowSchemas = [...flows.values()];
  for (const f of flowSchemas) {
    f.dispatchedPerSecond = perSecond(f.dispatched);
    f.rejectedPerSecond = perSecond(f.rejected);
  }
  flowSchemas.sort((x, y) => y.rejected - x.rejected || y.dispatched - x.dispatched || x.name.localeCompare(y.name));
  return { levels, flowSchemas, serverLimit: serverLimitOf(a.nominal, a.configLimit, serverOf) };
}

export async function apfStatus(req: PanelRequest, deps: { gateway: Gateway; config: Config; nowMs: number }): Promise<ApfStatus> {
  const problem = rangeProblem(req.range, deps.nowMs);
  if (problem) return { status: "error", kind: "bad_request", message: problem };
  try {
    const { plan, schema, ctx } = await prepareQuery(req, deps);
    if (!hasApf(schema)) return { status: "not-covered", message: NO_APF_METRICS };
    const windowSeconds = plan.endSeconds - plan.startSeconds;
    const q = statusQueries(schema, {
      sel: ctx.sel,
      windowSeconds,
      targetLabels: ctx.targetLabels,
      peakStepSeconds: peakStepSeconds(windowSeconds, deps.config.scrapeIntervalSeconds),
    });
    const run = async (promql: string | null) => {
      if (promql === null) return null;
      const result = await deps.gateway.queryInstant(promql, plan.endSeconds);
      assertSeriesLimit(result.length, MAX_SERIES_FETCHED);
      return result;
    };
    const [nominal, peakInUse, peakQueued, waitP99, dispatched, rejected] = await Promise.all([
      run(q.nominal),
      run(q.peakInUse),
      run(q.peakQueued),
      run(q.waitP99),
      run(q.dispatched),
      run(q.rejected),
    ]);
    const { readOnly, mutating } = deps.config.inflightLimits;
    const configLimit = readOnly + mutating;
    const shaped = shapeApfStatus({ windowSeconds, nominal, peakInUse, peakQueued, waitP99, dispatched, rejected, configLimit });
    const inUseMetric = apfInUseMetric(schema);
    const missing = [
      schema.apfLimitMetric ? null : "apiserver_flowcontrol_nominal_limit_seats",
      inUseMetric ? null : APF_METRICS.executingSeats,
      ...[APF_METRICS.inQueue, APF_METRICS.waitBucket, APF_METRICS.dispatched].filter((m) => !schema.names.has(m)),
    ].filter((m): m is string => m !== null);
    return { status: "ok", windowSeconds, ...shaped, inUseMetric, limitMetric: schema.apfLimitMetric, missing };
  } catch (err) {
    if (err instanceof PrometheusError) return { status: "error", kind: err.kind, message: err.message };
    throw err;
  }
}
