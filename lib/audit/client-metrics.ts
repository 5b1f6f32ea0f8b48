// Per-client request metrics from audit logs, exposed on apiscope's /metrics so the user's Prometheus (or
// Thanos, Mimir, VictoriaMetrics) can scrape several apiscope replicas and sum them by client.
// Cardinality is bounded: a client gets its own `client` label once it is among the busiest `maxClients`
// (labels are never taken back, so counters stay monotonic); everything else is counted as client="other".
import type { MetricFamily } from "../metrics/exposition";

export const LATENCY_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
export const OTHER = "other";
/** Distinct client names remembered for ranking; beyond this the smallest are forgotten (hostile input). */
const MAX_TRACKED = 10_000;

export interface RequestAggregate {
  client: string;
  verb: string;
  resource: string;
  code_class: string;
  requests: number;
  lists_without_rv0: number;
}

export interface LatencyAggregate {
  client: string;
  /** Index of the first LATENCY_BUCKETS bound the latencies are within; LATENCY_BUCKETS.length for +Inf. */
  bucket: number;
  sum: number;
  count: number;
}

export class ClientMetrics {
  private readonly seen = new Map<string, number>();
  private readonly labeled = new Set<string>();
  private readonly requests = new Map<string, number>();
  private readonly listsWithoutRv0 = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();

  constructor(private readonly maxClients: number) {}

  /** Adds one ingested batch (already aggregated by SQL). */
  add(requests: RequestAggregate[], latency: LatencyAggregate[]): void {
    this.promote(requests);
    for (const r of requests) {
      const client = this.label(r.client);
      const key = JSON.stringify([client, r.verb, r.resource, r.code_class]);
      this.requests.set(key, (this.requests.get(key) ?? 0) + r.requests);
      if (r.lists_without_rv0 > 0) {
        const k = JSON.stringify([client, r.resource]);
        this.listsWithoutRv0.set(k, (this.listsWithoutRv0.get(k) ?? 0) + r.lists_without_rv0);
      }
    }
    for (const l of latency) {
      const client = this.label(l.client);
      const h = this.latency.get(client) ?? { buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      // Prometheus buckets are cumulative: a latency counts in its own bucket and every larger one.
      for (let i = l.bucket; i < h.buckets.length; i++) h.buckets[i]! += l.count;
      h.sum += l.sum;
      h.count += l.count;
      this.latency.set(client, h);
    }
  }

  private label(client: string): string {
    return this.labeled.has(client) ? client : OTHER;
  }

  private promote(batch: RequestAggregate[]): void {
    for (const r of batch) this.seen.set(r.client, (this.seen.get(r.client) ?? 0) + r.requests);
    if (this.seen.size > MAX_TRACKED) {
      const keep = [...this.seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_TRACKED / 2);
      this.seen.clear();
      for (const [k, v] of keep) this.seen.set(k, v);
    }
    if (this.labeled.size >= this.maxClients) return;
    const busiest = [...this.seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.maxClients);
    for (const [client] of busiest) {
      if (this.labeled.size >= this.maxClients) break;
      if (client !== OTHER) this.labeled.add(client);
    }
  }

  families(): MetricFamily[] {
    const split = (key: string) => JSON.parse(key) as string[];
    return [
      {
        name: "apiscope_audit_requests_total",
        help: "API requests seen in kube-apiserver audit logs, by client (user agent), verb, resource and code class.",
        type: "counter",
        samples: [...this.requests].map(([key, value]) => {
          const [client, verb, resource, code_class] = split(key);
          return { labels: { client: client!, verb: verb!, resource: resource!, code_class: code_class! }, value };
        }),
      },
      {
        name: "apiscope_audit_lists_without_rv0_total",
        help: "LIST requests without resourceVersion=0 (served from etcd, not the watch cache), by client and resource.",
        type: "counter",
        samples: [...this.listsWithoutRv0].map(([key, value]) => {
          const [client, resource] = split(key);
          return { labels: { client: client!, resource: resource! }, value };
        }),
      },
      {
        name: "apiscope_audit_request_duration_seconds",
        help: "Latency of completed API requests seen in audit logs, by client.",
        type: "histogram",
        samples: [...this.latency].flatMap(([client, h]) => [
          ...LATENCY_BUCKETS.map((le, i) => ({ suffix: "_bucket", labels: { client, le: String(le) }, value: h.buckets[i]! })),
          { suffix: "_bucket", labels: { client, le: "+Inf" }, value: h.buckets[LATENCY_BUCKETS.length]! },
          { suffix: "_sum", labels: { client }, value: h.sum },
          { suffix: "_count", labels: { client }, value: h.count },
        ]),
      },
    ];
  }
}

/** SQL aggregating a batch of accepted requests for ClientMetrics.add (run inside the ingest transaction). */
export function requestAggregateSql(relation: string, resourceExpr: string, codeClassExpr: string, rv0Expr: string): string {
  return `SELECT client, verb, ${resourceExpr} AS resource, ${codeClassExpr} AS code_class, count(*) AS requests,
    count(*) FILTER (WHERE verb = 'list' AND NOT ${rv0Expr}) AS lists_without_rv0
  FROM ${relation} GROUP BY ALL`;
}

/** SQL counting a batch's latencies per client and histogram bucket, for ClientMetrics.add. */
export function latencyAggregateSql(relation: string, latencyExpr: string): string {
  const bucket = `CASE ${LATENCY_BUCKETS.map((le, i) => `WHEN l <= ${le} THEN ${i}`).join(" ")} ELSE ${LATENCY_BUCKETS.length} END`;
  return `SELECT client, ${bucket} AS bucket, sum(l) AS sum, count(*) AS count
  FROM (SELECT client, ${latencyExpr} AS l FROM ${relation}) WHERE l IS NOT NULL GROUP BY ALL`;
}
