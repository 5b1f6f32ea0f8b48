// What the webhook view says when this Prometheus has no admission-webhook metrics.
export const NO_WEBHOOK_METRICS =
  "This Prometheus has no admission-webhook metrics (apiserver_admission_webhook_admission_duration_seconds): no webhooks are installed, or the API servers' /metrics are not scraped";
