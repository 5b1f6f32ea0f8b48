// Admission webhook templates: latency against the call's timeout, rejections, failed calls, and calls that failed
// open (the request went through unchecked).
import { APISERVER_SELECTOR_HELP, WEBHOOK_PARAM, define, numberParam, ratioParam, sel, selectorParam, windowParam } from "./shared";
import type { AlertTemplate } from "./types";

const ADMISSION_GO = "kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/admission/metrics/metrics.go";
const FACTS = "kubernetes-facts §3: apiserver_admission_webhook_* label sets";
const DURATION = "apiserver_admission_webhook_admission_duration_seconds_bucket";
const TOTAL = "apiserver_admission_webhook_request_total";
const REJECTIONS = "apiserver_admission_webhook_rejection_count";
const WEBHOOK_PAGE = "apiscope's Webhooks page shows each webhook's latency, rejections and errors over time.";

export const WEBHOOK_TEMPLATES: AlertTemplate[] = [
  define({
    id: "webhook-latency-near-timeout",
    area: "webhooks",
    alert: "KubeAdmissionWebhookNearTimeout",
    title: "Webhook p99 approaching its timeout",
    summary: "An admission webhook answers close to its timeout.",
    description: "The 99th percentile latency of webhook {{ $labels.name }} ({{ $labels.type }}) is {{ $value | humanizePercentage }} of its timeout.",
    runbook:
      "Every call to the webhook blocks the API request; past timeoutSeconds the call fails and, with failurePolicy Fail, so does the request. " +
      WEBHOOK_PAGE +
      " Check the webhook's pods (CPU throttling, replicas, restarts) and the network path to its Service; narrow its rules or namespaceSelector so it sees fewer requests.",
    severity: "warning",
    for: "10m",
    keepFiringFor: "",
    thresholdParam: "ratio",
    unit: "ratio",
    params: [
      selectorParam(APISERVER_SELECTOR_HELP),
      WEBHOOK_PARAM,
      ratioParam("ratio", "Share of the timeout above", 0.8),
      { key: "timeout", label: "Webhook timeout (s)", kind: "number", default: 10, unit: "seconds", min: 1, max: 30, help: "timeoutSeconds of the webhook configuration (default 10)." },
      windowParam("5m"),
    ],
    sources: [ADMISSION_GO, FACTS, "Kubernetes docs: Dynamic Admission Control, timeoutSeconds default 10s"],
    versions: [],
    make(v, n) {
      const m = sel(n.pick(DURATION), v.matchers(), v.equals("webhook", "name"));
      return `histogram_quantile(0.99, sum by (cluster, name, type, le) (rate(${m}[${v.dur("window")}]))) / ${v.lit("timeout")} > ${v.lit("ratio")}`;
    },
  }),
  define({
    id: "webhook-rejections",
    area: "webhooks",
    alert: "KubeAdmissionWebhookRejecting",
    title: "Webhook rejection rate",
    summary: "An admission webhook rejects many requests.",
    description: "Webhook {{ $labels.name }} rejects {{ $value | humanize }} {{ $labels.operation }} requests/s.",
    runbook:
      "A policy webhook that starts rejecting often points to a new policy or a client that keeps retrying a refused change. " +
      WEBHOOK_PAGE +
      " Find the rejected client and operation in the audit log (apiscope's Audit page), then fix the client's objects or the policy.",
    severity: "warning",
    for: "15m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [selectorParam(APISERVER_SELECTOR_HELP), WEBHOOK_PARAM, numberParam("rate", "Rejections above (req/s)", 1, "reqps"), windowParam("5m")],
    sources: [ADMISSION_GO, FACTS],
    versions: [],
    make(v, n) {
      // request_total (1.23+) counts every call; rejection_count only appears after the first rejection (a missing
      // list names all three, any of which makes the template usable).
      const m = n.has(TOTAL) ? sel(TOTAL, v.matchers(), 'rejected="true"', v.equals("webhook", "name")) : sel(n.eventual(REJECTIONS, TOTAL, DURATION), v.matchers(), v.equals("webhook", "name"));
      return `sum by (cluster, name, type, operation) (rate(${m}[${v.dur("window")}])) > ${v.lit("rate")}`;
    },
  }),
  define({
    id: "webhook-calling-errors",
    area: "webhooks",
    alert: "KubeAdmissionWebhookCallErrors",
    title: "Webhook calls failing",
    summary: "The API servers fail to call an admission webhook.",
    description: "Calls to webhook {{ $labels.name }} fail at {{ $value | humanize }}/s (calling_webhook_error).",
    runbook:
      "The webhook did not answer properly: timeouts, refused connections, TLS or DNS errors. With failurePolicy Fail every such call fails the API request. " +
      WEBHOOK_PAGE +
      " Check the webhook Service's endpoints and pods, its certificate and caBundle, and network policies between the control plane and the webhook.",
    severity: "warning",
    for: "5m",
    keepFiringFor: "",
    thresholdParam: "rate",
    unit: "reqps",
    params: [selectorParam(APISERVER_SELECTOR_HELP), WEBHOOK_PARAM, numberParam("rate", "Errors above (per s)", 0, "reqps"), windowParam("5m")],
    sources: [ADMISSION_GO, FACTS],
    versions: [],
    make(v, n) {
      const m = sel(n.eventual(REJECTIONS, TOTAL, DURATION), v.matchers(), 'error_type="calling_webhook_error"', v.equals("webhook", "name"));
      return `sum by (cluster, name, type, operation) (rate(${m}[${v.dur("window")}])) > ${v.lit("rate")}`;
    },
  }),
  define({
    id: "webhook-fail-open",
    area: "webhooks",
    alert: "KubeAdmissionWebhookFailOpen",
    title: "Webhook failing open",
    summary: "Requests passed an admission webhook unchecked because the call failed.",
    description: "{{ $value | humanize }} calls to webhook {{ $labels.name }} failed and were let through (failurePolicy Ignore).",
    runbook:
      "With failurePolicy Ignore a failed call lets the request through without the webhook's mutation or validation, so policies may not have been enforced. " +
      WEBHOOK_PAGE +
      " Restore the webhook (see the calling-errors alert), then review the objects admitted meanwhile in the audit log.",
    severity: "warning",
    for: "",
    keepFiringFor: "",
    thresholdParam: "count",
    unit: "count",
    params: [selectorParam(APISERVER_SELECTOR_HELP), WEBHOOK_PARAM, numberParam("count", "Fail-open calls above", 0, "count"), windowParam("10m", "The window the calls are counted over.")],
    sources: [ADMISSION_GO, FACTS],
    versions: [],
    make(v, n) {
      const m = sel(n.eventual("apiserver_admission_webhook_fail_open_count", TOTAL, DURATION), v.matchers(), v.equals("webhook", "name"));
      return `sum by (cluster, name, type) (increase(${m}[${v.dur("window")}])) > ${v.lit("count")}`;
    },
  }),
];
