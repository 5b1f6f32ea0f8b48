// Values derived from stored columns when queried: cheap expressions, or costly ones that only a few rows need
// (annotations are stored only on slow or webhook-touched requests).

const qa = "('&' || split_part(request_uri, '?', 2) || '&')";
const nonEmptyParam = (name: string) => `(contains(${qa}, '&${name}=') AND NOT contains(${qa}, '&${name}=&'))`;

const LONG_RUNNING = "(verb = 'watch' OR coalesce(subresource, '') IN ('exec', 'attach', 'portforward', 'proxy', 'log'))";

export const DERIVED = {
  /** How long the request took (for a WATCH: how long it stayed open). */
  latency_s: "CASE WHEN stage IN ('ResponseComplete', 'Panic') THEN date_diff('microsecond', received_at, ts) / 1e6 END",
  /** Latency of requests that are not long-running: what quantiles are computed over (as Kubernetes does). */
  request_latency_s: `CASE WHEN stage IN ('ResponseComplete', 'Panic') AND NOT ${LONG_RUNNING} THEN date_diff('microsecond', received_at, ts) / 1e6 END`,
  /** As Kubernetes' metrics label it (endpoints/metrics CleanScope). */
  scope: `CASE WHEN coalesce(name, '') <> '' OR verb = 'create' THEN 'resource' WHEN coalesce(namespace, '') <> '' THEN 'namespace'
    WHEN resource IS NOT NULL THEN 'cluster' ELSE '' END`,
  /** `pods`, `deployments.apps/scale`, or the path of a non-resource request. */
  resource_name: `CASE WHEN resource IS NULL THEN split_part(request_uri, '?', 1)
    ELSE resource || CASE WHEN api_group = '' THEN '' ELSE '.' || api_group END || coalesce('/' || subresource, '') END`,
  code_class: "CASE WHEN code = 429 THEN '429' WHEN code BETWEEN 100 AND 599 THEN CAST(code // 100 AS VARCHAR) || 'xx' ELSE 'other' END",
  client_version: "ua_version(user_agent)",
  sa_namespace: "CASE WHEN starts_with(username, 'system:serviceaccount:') THEN split_part(username, ':', 3) END",
  sa_name: "CASE WHEN starts_with(username, 'system:serviceaccount:') THEN split_part(username, ':', 4) END",
  rv0: `contains(${qa}, '&resourceVersion=0&')`,
  has_rv: nonEmptyParam("resourceVersion"),
  has_limit: `(contains(${qa}, '&limit=') AND NOT contains(${qa}, '&limit=0&') AND NOT contains(${qa}, '&limit=&'))`,
  label_selector: nonEmptyParam("labelSelector"),
  field_selector: nonEmptyParam("fieldSelector"),
  watch: `(verb = 'watch' OR contains(${qa}, '&watch=true&') OR contains(${qa}, '&watch=1&'))`,
  lat_etcd_s: "go_duration_s(annotation(annotations, 'apiserver.latency.k8s.io/etcd'))",
  lat_apf_wait_s: "go_duration_s(annotation(annotations, 'apiserver.latency.k8s.io/apf-queue-wait'))",
  lat_mutating_webhook_s: "go_duration_s(annotation(annotations, 'apiserver.latency.k8s.io/mutating-webhook'))",
  lat_validating_webhook_s: "go_duration_s(annotation(annotations, 'apiserver.latency.k8s.io/validating-webhook'))",
  lat_total_s: "go_duration_s(annotation(annotations, 'apiserver.latency.k8s.io/total'))",
  /** Mutating webhooks that ran: [{webhook, configuration, mutated}]. */
  webhooks: `CASE WHEN annotations IS NOT NULL THEN list_transform(
      list_filter(json_keys(annotations), k -> starts_with(k, 'mutation.webhook.admission.k8s.io/') AND json_valid(annotation(annotations, k))),
      k -> json_transform(annotation(annotations, k), '{"webhook":"VARCHAR","configuration":"VARCHAR","mutated":"BOOLEAN"}')) END`,
  /** Webhooks whose call failed and were ignored (failurePolicy: Ignore). */
  failed_open: `CASE WHEN annotations IS NOT NULL THEN list_transform(
      list_filter(json_keys(annotations), k -> starts_with(k, 'failed-open.')), k -> annotation(annotations, k)) END`,
} as const;
