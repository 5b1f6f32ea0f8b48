// Why an input line or event was skipped. Every skip is counted by reason and shown to the user.

export const SKIP_REASONS = {
  invalid_json: "not valid JSON (truncated or not JSON at all)",
  line_too_large: "a line larger than 1 MB (skipped by earlier versions of apiscope; such lines are now read)",
  not_an_object: "a JSON value that is not an object",
  unsupported_format: "a log record of a format apiscope does not read (e.g. GKE Cloud Audit Logs)",
  wrong_type: "a field has the wrong JSON type",
  missing_field: "a required field is missing (auditID, stage, verb or stageTimestamp)",
  unknown_api_version: "apiVersion is not audit.k8s.io/v1 or v1beta1",
  unknown_stage: "stage is not RequestReceived, ResponseStarted, ResponseComplete or Panic",
  bad_timestamp: "a timestamp that cannot be parsed",
  in_future: "timestamp more than an hour in the future",
  older_than_retention: "older than the retention period (APISCOPE_AUDIT_RETENTION)",
  duplicate: "an auditID already stored at that stage",
  corrupt_gzip: "the gzip stream is corrupt; events after the damage are lost",
  document_too_large: "a single JSON value larger than 256 MB (an event, or a document that is not a list of events)",
  empty_list: "an empty list: a [] line, an EventList without items, AKS records: []",
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

export interface Skip {
  reason: SkipReason;
  /** What was wrong, shortened (field name, value, position). */
  detail: string;
  /** 1-based line number in the input, when known. */
  line?: number;
}
