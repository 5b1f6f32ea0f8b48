// LIST hygiene per client: which of its LISTs hurt the API server and what to do instead. LISTs are weighed by the
// object count of their resource (from Prometheus), so a cluster-wide LIST of 150k pods outranks one of a few
// config maps; without object counts every LIST weighs one.
import type { ListHygieneRow } from "../audit/answers";

export type FindingKind = "no_rv0" | "no_limit" | "cluster_wide" | "relist";

export interface Finding {
  kind: FindingKind;
  /** Share of the client's LISTs concerned (for relist: LISTs per WATCH, capped at 1 when it never watches). */
  share: number;
  text: string;
  advice: string;
}

export interface ClientHygiene {
  client: string;
  lists: number;
  withoutRv0: number;
  withoutLimit: number;
  clusterScoped: number;
  watches: number;
  /** Objects its LISTs may read (object count of each LISTed resource, summed over LISTs); the ranking. */
  objectsListed: number;
  /** The same, for LISTs that bypass the watch cache and read etcd. */
  objectsFromEtcd: number;
  /** Resources it LISTs, most objects read first. */
  resources: Array<{ resource: string; lists: number; objects: number | null }>;
  findings: Finding[];
}

/** Below this share a practice is not reported as a finding. */
export const FINDING_SHARE = 0.2;
/** More LISTs than this per WATCH is polling, not an informer. */
const RELIST_RATIO = 10;

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function findingsOf(h: Pick<ClientHygiene, "lists" | "withoutRv0" | "withoutLimit" | "clusterScoped" | "watches">): Finding[] {
  const out: Finding[] = [];
  if (h.lists === 0) return out;
  const share = (n: number) => n / h.lists;
  if (share(h.withoutRv0) >= FINDING_SHARE) {
    out.push({
      kind: "no_rv0",
      share: share(h.withoutRv0),
      text: `${pct(share(h.withoutRv0))} of its LISTs skip the watch cache (no resourceVersion=0) and read etcd`,
      advice: "Use an informer (one LIST, then WATCH), or LIST with resourceVersion=0 so the API server answers from its watch cache.",
    });
  }
  if (share(h.withoutLimit) >= FINDING_SHARE) {
    out.push({
      kind: "no_limit",
      share: share(h.withoutLimit),
      text: `${pct(share(h.withoutLimit))} of its LISTs are not paginated (no limit)`,
      advice: "Paginate with limit and continue, so no single response holds a whole collection in the API server's memory.",
    });
  }
  if (share(h.clusterScoped) >= FINDING_SHARE) {
    out.push({
      kind: "cluster_wide",
      share: share(h.clusterScoped),
      text: `${pct(share(h.clusterScoped))} of its LISTs span the whole cluster`,
      advice:
        "Narrow the LIST: a namespace, or a field selector such as spec.nodeName=<node> for a per-node agent; ask for protobuf (application/vnd.kubernetes.protobuf) to cut encoding cost.",
    });
  }
  const perWatch = h.watches === 0 ? Infinity : h.lists / h.watches;
  if (perWatch > RELIST_RATIO) {
    out.push({
      kind: "relist",
      share: Math.min(1, perWatch / (RELIST_RATIO * 10)),
      text: h.watches === 0 ? "it LISTs again and again and never WATCHes" : `it re-LISTs ${Math.round(perWatch)} times per WATCH`,
      advice: "Poll less: a shared informer keeps a cache current from one WATCH instead of repeating the LIST.",
    });
  }
  return out;
}

/**
 * One scorecard row per client from LIST-hygiene rows split by resource, worst first. `objects` maps a resource
 * (`pods`, `deployments.apps`) to its object count; null when Prometheus has none.
 */
export function hygieneScorecard(rows: readonly ListHygieneRow[], objects: ReadonlyMap<string, number> | null): ClientHygiene[] {
  const byClient = new Map<string, ClientHygiene>();
  for (const r of rows) {
    let c = byClient.get(r.client);
    if (!c) {
      c = { client: r.client, lists: 0, withoutRv0: 0, withoutLimit: 0, clusterScoped: 0, watches: 0, objectsListed: 0, objectsFromEtcd: 0, resources: [], findings: [] };
      byClient.set(r.client, c);
    }
    const count = r.resource === null ? undefined : objects?.get(r.resource);
    const weight = count ?? 1;
    c.lists += r.lists;
    c.withoutRv0 += r.withoutRv0;
    c.withoutLimit += r.withoutLimit;
    c.clusterScoped += r.clusterScoped;
    c.watches += r.watches;
    c.objectsListed += r.lists * weight;
    c.objectsFromEtcd += r.withoutRv0 * weight;
    c.resources.push({ resource: r.resource ?? "", lists: r.lists, objects: count ?? null });
  }
  const out = [...byClient.values()];
  for (const c of out) {
    c.findings = findingsOf(c);
    c.resources.sort((a, b) => b.lists * (b.objects ?? 1) - a.lists * (a.objects ?? 1) || a.resource.localeCompare(b.resource));
  }
  return out.sort((a, b) => b.objectsFromEtcd - a.objectsFromEtcd || b.objectsListed - a.objectsListed || a.client.localeCompare(b.client));
}
