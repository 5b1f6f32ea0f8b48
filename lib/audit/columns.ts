// The stored row: one per API request. The same columns in the hot table, the open-requests table and every
// Parquet segment, so all three read as one relation. Only what must be computed at parse speed is stored;
// everything derivable cheaply is derived when queried (derived-sql.ts), which keeps ingest fast.

export const EVENT_COLUMNS = [
  ["audit_id", "VARCHAR"],
  ["stage", "VARCHAR"],
  ["ts", "TIMESTAMP"], // the stage timestamp: when the request completed, for a completed request
  ["received_at", "TIMESTAMP"],
  ["verb", "VARCHAR"],
  ["client", "VARCHAR"], // from the user agent: product, plus client-go's controller suffix
  ["user_agent", "VARCHAR"],
  ["username", "VARCHAR"],
  ["groups", "VARCHAR[]"],
  ["source_ip", "VARCHAR"],
  ["api_group", "VARCHAR"],
  ["api_version", "VARCHAR"],
  ["resource", "VARCHAR"],
  ["subresource", "VARCHAR"],
  ["namespace", "VARCHAR"],
  ["name", "VARCHAR"],
  ["code", "SMALLINT"],
  ["request_uri", "VARCHAR"],
  ["annotations", "JSON"], // kept only when it holds latency or admission-webhook annotations
] as const;

export const EVENT_COLUMN_NAMES = EVENT_COLUMNS.map(([name]) => name);

export const EVENT_TABLE_DDL = EVENT_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");

export const ALL_STAGES = ["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"] as const;
