// Alerts on one client, from the per-client metrics apiscope exposes (apiscope_audit_requests_total, scraped by the
// user's Prometheus): its request rate, its share of all requests, and the 429s it gets. Written as a
// PrometheusRule (prometheus-operator) or a plain rule file. The client name is attacker-controlled: it appears only
// as an escaped PromQL string and a quoted YAML scalar, never in annotation text, where Prometheus would run it as a
// template ({{ … }}); the annotations read it back from the alert's labels instead.
import { objectName } from "../export/names";
import { toYamlStream } from "../export/yaml";
import { formatMatchers, parseMatchers, quoteLabelValue } from "../promql";

export interface ClientAlertSettings {
  client: string;
  /** Requests per second above which the client alerts. */
  rateAbove: number;
  /** Share of all requests (0–1) above which the client alerts. */
  shareAbove: number;
  /** 429s per second the client gets above which it alerts. */
  throttledAbove: number;
  /** How long the condition must hold, a Prometheus duration. */
  for: string;
  severity: "warning" | "critical";
  /** Matchers selecting apiscope's own series, e.g. job="apiscope"; "" for all. */
  selector: string;
  format: "PrometheusRule" | "rules-file";
  /** Namespace of the PrometheusRule. */
  namespace: string;
}

export const DEFAULT_CLIENT_ALERT: Omit<ClientAlertSettings, "client"> = {
  rateAbove: 100,
  shareAbove: 0.3,
  throttledAbove: 1,
  for: "10m",
  severity: "warning",
  selector: "",
  format: "PrometheusRule",
  namespace: "monitoring",
};

/** The URL parameters' prefix of the alert settings, and the values their choices allow. */
export const ALERT_PREFIX = "alert";
export const ALERT_CHOICES = { severity: ["warning", "critical"], format: ["PrometheusRule", "rules-file"] } as const;

const DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WINDOW = "5m";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ClientAlerts {
  name: string;
  rules: AlertRule[];
  yaml: string;
  /** What the rules rely on, shown next to them. */
  notes: string[];
}

/** Why the settings cannot make rules, or null. */
export function clientAlertProblem(s: ClientAlertSettings): string | null {
  if (s.client === "") return "choose a client";
  if (![s.rateAbove, s.shareAbove, s.throttledAbove].every((n) => Number.isFinite(n) && n >= 0)) return "thresholds must be numbers ≥ 0";
  if (s.shareAbove > 1) return "the share is between 0 and 1";
  if (!DURATION.test(s.for) || s.for === "") return 'for must be a Prometheus duration such as 10m or 1h30m';
  if (!NAMESPACE.test(s.namespace) || s.namespace.length > 63) return "the namespace must be a DNS-1123 label";
  const matchers = parseMatchers(s.selector);
  if (typeof matchers === "string") return `selector: ${matchers}`;
  return null;
}

export function clientAlerts(s: ClientAlertSettings): ClientAlerts {
  const problem = clientAlertProblem(s);
  if (problem) throw new RangeError(problem);
  // Re-written from the parsed matchers, so only well-formed, escaped matchers reach the expression.
  const parsed = parseMatchers(s.selector);
  const matchers = typeof parsed === "string" ? "" : formatMatchers(parsed);
  const own = matchers === "" ? "" : `,${matchers}`;
  const client = `client=${quoteLabelValue(s.client)}`;
  const rate = (matchers: string) => `sum by (client) (rate(apiscope_audit_requests_total{${matchers}}[${WINDOW}]))`;
  const labels = { severity: s.severity };
  const rules: AlertRule[] = [
    {
      alert: "APIServerClientRequestRateHigh",
      expr: `${rate(client + own)} > ${s.rateAbove}`,
      for: s.for,
      labels,
      annotations: {
        summary: "An API-server client sends more requests than expected.",
        description: "{{ $labels.client }} sends {{ $value | humanize }} requests/s to the API servers (threshold " + String(s.rateAbove) + ").",
      },
    },
    {
      alert: "APIServerClientShareHigh",
      expr: `${rate(client + own)} / ignoring (client) group_left sum(rate(apiscope_audit_requests_total{${own.slice(1)}}[${WINDOW}])) > ${s.shareAbove}`,
      for: s.for,
      labels,
      annotations: {
        summary: "One client takes a large share of all API-server requests.",
        description: "{{ $labels.client }} sends {{ $value | humanizePercentage }} of all API-server requests (threshold " + `${Math.round(s.shareAbove * 100)}%).`,
      },
    },
    {
      alert: "APIServerClientThrottled",
      expr: `${rate(`${client},code_class="429"${own}`)} > ${s.throttledAbove}`,
      for: s.for,
      labels,
      annotations: {
        summary: "API Priority and Fairness rejects a client's requests.",
        description: "{{ $labels.client }} gets {{ $value | humanize }} 429s per second from the API servers (threshold " + String(s.throttledAbove) + ").",
      },
    },
  ];
  const name = objectName(s.client, "apiscope-client");
  const group = { name, rules };
  const object =
    s.format === "PrometheusRule"
      ? {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name, namespace: s.namespace, labels: { "app.kubernetes.io/managed-by": "apiscope" } },
          spec: { groups: [group] },
        }
      : { groups: [group] };
  return {
    name,
    rules,
    yaml: toYamlStream([object]),
    notes: [
      "These rules read apiscope's per-client metrics: your Prometheus must scrape apiscope's /metrics.",
      "A client has its own client label once it is among the busiest clients apiscope tracks (APISCOPE_METRICS_MAX_CLIENTS); before that it counts as client=\"other\".",
      ...(s.format === "PrometheusRule" ? ["The Prometheus operator picks the rule up only if its ruleSelector matches the labels of this PrometheusRule: add them."] : []),
    ],
  };
}

/** The client's load over a window, as averages. */
export interface ObservedLoad {
  ratePerSecond: number;
  share: number;
  throttledPerSecond: number;
}

/**
 * Per alert, whether the window's averages cross its threshold: a first check that the rules would have caught
 * what was seen (the window's peaks can cross where its average does not).
 */
export function crossedOnAverage(s: Pick<ClientAlertSettings, "rateAbove" | "shareAbove" | "throttledAbove">, o: ObservedLoad): Record<string, boolean> {
  return {
    APIServerClientRequestRateHigh: o.ratePerSecond > s.rateAbove,
    APIServerClientShareHigh: o.share > s.shareAbove,
    APIServerClientThrottled: o.throttledPerSecond > s.throttledAbove,
  };
}
