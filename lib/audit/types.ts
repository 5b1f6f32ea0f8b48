// Wire types of the audit API shared with the browser (no server code here).
import type { SkipReason } from "./reasons";

export interface SourceStatus {
  source: string;
  accepted: number;
  open: number;
  skipped: Partial<Record<SkipReason, number>>;
  samples: Array<{ reason: SkipReason; detail: string; line: number | null }>;
}

export interface AuditStatus {
  sources: SourceStatus[];
  store: { requests: number; segments: number; segmentBytes: number; hotRows: number; openRequests: number; oldestMs: number | null; newestMs: number | null };
  webhook: { mode: string; backlogBytes: number };
  files: string[];
  reasons: Record<SkipReason, string>;
}

export interface IngestOutcome {
  accepted: number;
  open: number;
  skipped: Partial<Record<SkipReason, number>>;
}
