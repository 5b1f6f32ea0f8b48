// Public types of the incident scenario generator.

export interface ScenarioParams {
  /** Worker nodes in the cluster (each runs kubelet, kube-proxy and, once rolled out, the telemetry agent). */
  nodes: number;
  /** Length of the simulated window in minutes. */
  durationMinutes: number;
  /** Minute offset from the window start at which the DaemonSet rollout begins. */
  incidentStartMinute: number;
  /** Node i gets the agent at incidentStart + rolloutMinutes * i / nodes. */
  rolloutMinutes: number;
  /** PRNG seed; the same params always produce byte-identical outputs. */
  seed: number;
  /** Time of the last sample (unix seconds); must be a multiple of scrapeIntervalSeconds. */
  endUnixSeconds: number;
  scrapeIntervalSeconds: number;
  /** kube-apiserver instances (10.0.0.1:6443, 10.0.0.2:6443, ...). */
  apiservers: number;
}

export const DEFAULT_SCENARIO: Omit<ScenarioParams, "endUnixSeconds"> = Object.freeze({
  nodes: 300,
  durationMinutes: 90,
  incidentStartMinute: 50,
  rolloutMinutes: 10,
  seed: 1,
  scrapeIntervalSeconds: 30,
  apiservers: 3,
});

/**
 * Where the generator writes. `openMetrics` receives consecutive chunks of the
 * OpenMetrics text (the concatenation is the file). `audit` receives one audit
 * event per call as a JSON object WITHOUT a trailing newline, in
 * stageTimestamp order; when it is absent, audit events are not serialised.
 */
export interface ScenarioSinks {
  openMetrics(chunk: string): void;
  audit?(line: string): void;
}

export interface CulpritRequestShape {
  verb: string;
  metricVerb: string;
  resource: string;
  scope: string;
  requestURI: string;
  /** Nominal period per node; 429s and timeouts add quick retries on top. */
  periodSeconds: number | null;
  resourceVersion: "unset";
  limit: "unset";
}

export interface ScenarioSummary {
  params: ScenarioParams;
  clusterName: string;
  kubernetesVersion: string;
  window: {
    startUnixSeconds: number;
    endUnixSeconds: number;
    scrapeIntervalSeconds: number;
    samplesPerSeries: number;
  };
  incident: {
    startUnixSeconds: number;
    rolloutEndUnixSeconds: number;
  };
  apiserverInstances: string[];
  capacity: {
    maxRequestsInflight: number;
    maxMutatingRequestsInflight: number;
    nominalSeats: Record<string, number>;
    apfQueueWaitLimitSeconds: number;
    requestTimeoutSeconds: number;
  };
  culprit: {
    client: string;
    daemonSet: string;
    namespace: string;
    serviceAccount: string;
    username: string;
    userAgent: string;
    requestShapes: CulpritRequestShape[];
    /** Nodes that got the agent inside the window. */
    fanOut: number;
  };
  webhooks: {
    slow: {
      name: string;
      type: "validating";
      operations: string[];
      failurePolicy: "Fail";
      timeoutSeconds: number;
      /** p99 of the calls made before the incident (exact, from the simulated calls). */
      baselineP99Seconds: number;
      /** p99 of the calls made after the rollout completed. */
      incidentP99Seconds: number;
      /** The same p99s as histogram_quantile computes them from the emitted buckets. */
      baselineHistogramP99Seconds: number;
      incidentHistogramP99Seconds: number;
      /** Calls that hit the timeout (the pod write fails with 500). */
      timeouts: number;
    };
    healthy: { name: string; type: "admit"; p99Seconds: number; histogramP99Seconds: number };
  };
  /**
   * Key values of the story, computed from the emitted metrics (histogram_quantile
   * semantics). Baseline = before the incident start; incident = after the rollout
   * completed (after the incident start if the rollout outlasts the window).
   */
  story: {
    baselineRequestP99Seconds: number;
    incidentRequestP99Seconds: number;
    incidentRejected429Share: number;
    peakReadOnlyInflight: number;
    readOnlyInflightLimit: number;
    peakWorkloadLowExecutingSeats: number;
    baselineEtcdListP99Seconds: number;
    incidentEtcdListP99Seconds: number;
  };
  audit: {
    /** Lines in the audit log (ResponseStarted + ResponseComplete). */
    totalEvents: number;
    /** ResponseComplete events (one per finished request). */
    requests: number;
    responseStarted: number;
    byClient: Record<string, number>;
    /** ResponseComplete events keyed "verb resource[/subresource] code" (audit verbs). */
    byVerbResourceCode: Record<string, number>;
  };
  metrics: { series: number; families: number };
}
