// CoreDNS: two replicas watching the objects they serve DNS from.

import { serviceAccountActor } from "./actors";
import { defineShape } from "./shapes";
import { reflectorWatchQuery } from "./task";
import { addTask, reflectorWatch, type WorkloadContext } from "./workload-context";

const COREDNS_UA = "coredns/v1.11.3 (linux/amd64) kubernetes/0f4a4ff";
const COREDNS_PODS = [
  { ip: "10.244.0.3", metrics: "10.244.0.3:9153" },
  { ip: "10.244.1.4", metrics: "10.244.1.4:9153" },
];

/** Adds the CoreDNS watches (cut short under pressure, then re-listed) and returns the metrics instances. */
export function addCoreDnsTasks(ctx: WorkloadContext): string[] {
  const { params, counts, rng } = ctx;
  const flow = "kube-system-service-accounts";
  COREDNS_PODS.forEach((pod, dnsInstance) => {
    const actor = serviceAccountActor({
      client: "coredns",
      namespace: "kube-system",
      name: "coredns",
      userAgent: COREDNS_UA,
      sourceIp: pod.ip,
      apiserver: rng.int(0, params.apiservers - 1),
      binding: "system:coredns",
      role: "system:coredns",
      seed: params.seed,
    });
    for (const spec of [
      { group: "discovery.k8s.io", resource: "endpointslices", objects: counts.endpointSlices },
      { resource: "services", objects: counts.services },
      { resource: "namespaces", objects: counts.namespaces },
    ]) {
      const relist = addTask(ctx, {
        actor,
        shape: defineShape({ verb: "list", scope: "cluster", ...spec }),
        flow,
        query: (req) => `limit=500&resourceVersion=${req.rv}`,
        schedule: { kind: "triggered" },
      });
      addTask(ctx, {
        actor,
        shape: defineShape({ verb: "watch", scope: "cluster", ...spec, objects: 0 }),
        flow,
        query: reflectorWatchQuery(),
        schedule: reflectorWatch(),
        fragile: { relist, dnsInstance },
      });
    }
  });
  return COREDNS_PODS.map((p) => p.metrics);
}
