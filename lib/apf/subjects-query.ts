import "server-only";
// A client's traffic resolved to what a FlowSchema can match, read from the audit store over all its requests.
import type { BreakdownAnswer } from "../audit/answers";
import type { AuditService } from "../audit/service";
import { formatResource, type ResourceKey } from "../audit/dimensions";
import { windowSeconds, type AuditRequest } from "../audit/query/request";
import { runBreakdown } from "../audit/query/run";
import { resolveClient, type ApfSubjectsAnswer } from "./resolve";
import { collateralSql, groupsSql, shapesSql, usersSql } from "./subjects-sql";

/** Other clients' requests from the same users listed at most. */
const COLLATERAL_ROWS = 200;

const keyed = (a: BreakdownAnswer) => a.rows.filter((row): row is typeof row & { keys: string[] } => row.keys !== null);

/** A client's traffic as a FlowSchema can match it: users, groups, verbs, resources, namespaces, and collateral. */
export async function runApfSubjects(svc: AuditService, r: AuditRequest): Promise<ApfSubjectsAnswer> {
  const client = r.filters.client?.[0];
  const clients = await runBreakdown(svc, { ...r, filters: {}, groupBy: ["client"], top: 20 });
  const answer: ApfSubjectsAnswer = { windowSeconds: windowSeconds(r), clients: keyed(clients).map((row) => ({ client: row.keys[0]!, requests: row.requests })), resolution: null };
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
    windowSeconds: windowSeconds(r),
    users: users.map((u) => ({ user: u.username, groups: groupsOf.get(u.username) ?? [], requests: Number(u.requests), seconds: Number(u.seconds) })),
    shapes: shapes.map((x) => ({ user: x.username, verb: x.verb, resource: formatResource(x), namespace: x.namespace || null, requests: Number(x.requests) })),
    others: others.map((o) => ({ user: o.username, client: o.client, requests: Number(o.requests) })),
  });
  return answer;
}
