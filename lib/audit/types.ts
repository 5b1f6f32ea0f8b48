// Wire types of the audit API shared with the browser (no server code here).
import type { SkipReason } from "./reasons";

export interface SourceStatus {
  source: string;
  accepted: number;
  open: number;
  /** Earlier stages of requests stored from a later stage read with them. */
  merged: number;
  /** For an upload (source `upload:<name>`, deletable): when it was last uploaded; null for files and the webhook. */
  uploadedMs: number | null;
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

/** What deleting an upload removed (DELETE /api/audit/upload). */
export interface DeletedUpload {
  source: string;
  requests: number;
  open: number;
  segments: number;
}

/** Sources that are uploads, and so can be deleted. */
export const UPLOAD_PREFIX = "upload:";

export interface IngestOutcome {
  accepted: number;
  open: number;
  merged: number;
  skipped: Partial<Record<SkipReason, number>>;
}
