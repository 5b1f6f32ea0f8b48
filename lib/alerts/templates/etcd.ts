// etcd templates: request latency and object counts as the API servers see them, and the etcd members' own
// leader, quota and database metrics.
import { ALL_VERSIONS, APISERVER_SELECTOR_HELP, define, numberParam, ratioParam, sel, selectorParam, windowParam } from "./shared";
import type { AlertTemplate } from "./types";

const AWESOME = "awesome-prometheus-alerts _data/rules.yml @ a8533189 (samber, CC BY 4.0), Etcd";
const ETCD_MIXIN = "etcd-io/etcd contrib/mixin (etcdNoLeader, etcdHighNumberOfLeaderChanges, etcdDatabaseQuotaLowSpace)";
const STORAGE_GO = "kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/storage/etcd3/metrics/metrics.go";
const ETCD_SELECTOR = 'job=~".*etcd.*"';
const ETCD_SELECTOR_HELP = "Matchers selecting the etcd members' own series.";

/** Templates reading the API servers' etcd metrics rather than etcd's: their selector is the API servers'. */
export const APISERVER_SIDE_ETCD = new Set(["etcd-request-latency-p99", "etcd-object-count-growth"]);

export const ETCD_TEMPLATES: AlertTemplate[] = [
  define({
    id: "etcd-request-latency-p99",
    area: "etcd",
    alert: "KubeAPIServerEtcdLatencyHigh",
    title: "etcd request p99 by operation (API server side)",
    summary: "The API servers' requests to etcd are slow.",
    description: "The 99th percentile of etcd {{ $labels.operation }} requests for {{ $labels.resource }}{{ $labels.type }} is {{ $value | humanizeDuration }}.",
    runbook:
      "Slow etcd requests slow every API request that reads through to storage and every write. " +
      "Check etcd's disk (WAL fsync and backend commit durations), its database size and defragmentation, and network latency between API servers and etcd. " +
      "A slow list of one resource usually means too many or too large objects of it: see the object count alert and apiscope's Load page for clients listing it without resourceVersion=0.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "seconds",
    unit: "seconds",
    params: [selectorParam(APISERVER_SELECTOR_HELP), numberParam("seconds", "p99 above (s)", 1, "seconds"), windowParam("5m")],
    sources: [STORAGE_GO, "kubernetes-facts §3, §8: etcd_request_duration_seconds{operation,group,resource} (1.34+), {operation,type} before"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const m = sel(n.pick("etcd_request_duration_seconds_bucket"), v.matchers());
      // 1.34 replaced the `type` label by group and resource, in the release that added apiserver_resource_objects.
      const labels = n.has("apiserver_resource_objects") ? "group, resource" : "type";
      return `histogram_quantile(0.99, sum by (cluster, operation, ${labels}, le) (rate(${m}[${v.dur("window")}]))) > ${v.lit("seconds")}`;
    },
  }),
  define({
    id: "etcd-object-count-growth",
    area: "etcd",
    alert: "KubeAPIServerObjectCountGrowing",
    title: "Stored objects of a resource growing fast",
    summary: "The number of stored objects of a resource grows fast.",
    description: "Objects of {{ $labels.resource }} grew by {{ $value | humanizePercentage }} against the count an interval earlier.",
    runbook:
      "A fast-growing object count (events, leases, secrets, custom resources) fills etcd and the watch cache and makes LISTs of the resource slower. " +
      "Find the creator in the audit log (apiscope's Audit and Load pages, create verb by resource) and check whether a controller leaks objects or a CronJob piles up Jobs. " +
      "Stop the leak, clean up with a label selector, and set TTLs, history limits or a ResourceQuota on object counts.",
    severity: "warning",
    for: "15m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      numberParam("ratio", "Growth above (ratio)", 0.5, "ratio"),
      numberParam("minIncrease", "And by at least (objects)", 1000, "count", "So that small resources do not alert on a few objects."),
      { key: "interval", label: "Compared with", kind: "duration", default: "1h" },
    ],
    sources: [STORAGE_GO, "kubernetes-facts §3, §8: apiserver_resource_objects (1.34+), apiserver_storage_objects (1.21–1.33), etcd_object_counts (≤ 1.22)"],
    versions: ALL_VERSIONS,
    make(v, n) {
      const metric = n.pick("apiserver_resource_objects", "apiserver_storage_objects", "etcd_object_counts");
      const by = metric === "apiserver_resource_objects" ? "cluster, group, resource" : "cluster, resource";
      const m = sel(metric, v.matchers());
      const now = `max by (${by}) (${m})`;
      // The gauge is -1 when the count could not be read: such a baseline is no baseline.
      const before = `(max by (${by}) (${m} offset ${v.dur("interval")}) > 0)`;
      return `((${now} - ${before}) / ${before} and on (${by}) (${now} - ${before} > ${v.lit("minIncrease")})) > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "etcd-leader-changes",
    area: "etcd",
    alert: "EtcdHighNumberOfLeaderChanges",
    title: "etcd leader changes",
    summary: "etcd changed its leader several times within the window.",
    description: "etcd changed its leader {{ $value | humanize }} times over the window.",
    runbook:
      "Frequent elections stall writes for their duration and usually mean members miss heartbeats: slow disks, CPU starvation or network trouble between members. " +
      "Check etcd's WAL fsync and peer round-trip durations and the members' logs for 'elected leader' and timeouts. " +
      "Give etcd dedicated fast disks and CPU, or tune heartbeat-interval and election-timeout for high-latency networks.",
    severity: "warning",
    for: "",
    keepFiringFor: "",
    thresholdParam: "count",
    unit: "count",
    params: [selectorParam(ETCD_SELECTOR_HELP, ETCD_SELECTOR), numberParam("count", "Leader changes above", 3, "count"), windowParam("1h", "The window leader changes are counted over.")],
    sources: [ETCD_MIXIN, `${AWESOME}: Etcd high number of leader changes`],
    versions: [],
    make(v, n) {
      const m = sel(n.pick("etcd_server_leader_changes_seen_total"), v.matchers());
      // Every member counts the same elections: the most any member saw is the cluster's count.
      return `max by (cluster, job) (increase(${m}[${v.dur("window")}])) > ${v.lit("count")}`;
    },
  }),
  define({
    id: "etcd-no-leader",
    area: "etcd",
    alert: "EtcdNoLeader",
    title: "etcd member without leader",
    summary: "An etcd member has no leader.",
    description: "etcd member {{ $labels.instance }} has no leader.",
    runbook:
      "Without a leader the member cannot serve writes or linearizable reads; if the cluster lost quorum, the API servers cannot write anything. " +
      "Check how many members are up and reachable from each other, their logs, and disk and network health. " +
      "Restore the missing members; if quorum is lost for good, restore from a snapshot following the etcd disaster-recovery guide.",
    severity: "critical",
    for: "1m",
    keepFiringFor: "",
    unit: "none",
    params: [selectorParam(ETCD_SELECTOR_HELP, ETCD_SELECTOR)],
    sources: [ETCD_MIXIN, `${AWESOME}: Etcd no Leader (etcd_server_has_leader == 0, critical)`],
    versions: [],
    make(v, n) {
      return `${sel(n.pick("etcd_server_has_leader"), v.matchers())} == 0`;
    },
  }),
  define({
    id: "etcd-db-size-quota",
    area: "etcd",
    alert: "EtcdDatabaseQuotaLowSpace",
    title: "etcd database size against its quota",
    summary: "An etcd member's database approaches its space quota.",
    description: "etcd member {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its backend quota.",
    runbook:
      "At the quota etcd raises a NOSPACE alarm and refuses every write, so the API servers can no longer change anything. " +
      "Compact and defragment the members (etcdctl defrag) to reclaim free pages, find the resources that hold the space (the object count alert, events and large secrets or CRs), and delete what is not needed. " +
      "Raise --quota-backend-bytes only with enough disk and memory behind it.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [selectorParam(ETCD_SELECTOR_HELP, ETCD_SELECTOR), ratioParam("ratio", "Share of the quota above", 0.8)],
    sources: [ETCD_MIXIN, `${AWESOME}: Etcd database quota low space`],
    versions: [],
    make(v, n) {
      const s = v.matchers();
      const size = sel(n.pick("etcd_mvcc_db_total_size_in_bytes", "etcd_debugging_mvcc_db_total_size_in_bytes"), s);
      return `${size} / ${sel(n.pick("etcd_server_quota_backend_bytes"), s)} > ${v.lit("ratio")}`;
    },
  }),
];
