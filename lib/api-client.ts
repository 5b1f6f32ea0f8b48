// Browser-side calls to apiscope's own API. Components never call fetch directly; they use these through hooks.
import type { ApfStatus } from "./apf/status-types";
import type { AuditStatus, IngestOutcome } from "./audit/types";
import type { PanelData } from "./panels/types";
import type { TargetChoices } from "./panels/targets-types";
import type { WebhookSummary } from "./webhooks/types";
import { serializeSelection, serializeViewState, type Selection, type ViewState } from "./url-state";

export class ApiError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { Accept: "application/json" } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError("network", "apiscope server unreachable — is it still running?");
  }
  const body = (await res.json().catch(() => null)) as
    | { status?: string; kind?: string; errorType?: string; message?: string; error?: string; data?: unknown }
    | null;
  if (!res.ok) {
    throw new ApiError(body?.kind ?? body?.errorType ?? "http", body?.message ?? body?.error ?? `HTTP ${res.status}`);
  }
  return body as T;
}

/** The query string the API expects for a view (cluster/instance included, refresh left out). */
function viewParams(view: ViewState): URLSearchParams {
  const params = serializeViewState({ ...view, refresh: "off" });
  if (!params.has("from")) {
    params.set("from", "now-1h");
    params.set("to", "now");
  }
  return params;
}

export function fetchPanel(id: string, view: ViewState, widthPx: number, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<PanelData> {
  const params = viewParams(view);
  params.set("width", String(widthPx));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return getJson<PanelData>(`/api/panels/${encodeURIComponent(id)}?${params}`, signal);
}

export async function fetchTargets(view: ViewState, signal?: AbortSignal): Promise<TargetChoices> {
  const params = viewParams({ ...view, instance: "" });
  return (await getJson<{ data: TargetChoices }>(`/api/targets?${params}`, signal)).data;
}

export interface ServerStatus {
  prometheus: { url: string; reachable: boolean; version?: string; error?: string };
}

export async function fetchStatus(signal?: AbortSignal): Promise<ServerStatus> {
  return (await getJson<{ data: ServerStatus }>("/api/status", signal)).data;
}

export type AuditQuery = "breakdown" | "culprit" | "timeseries" | "fanout" | "list-hygiene" | "events" | "webhooks" | "apf-subjects";

/** The query string of an audit query: the view's window, the selection, then query-specific options. */
export function auditParams(view: ViewState, selection: Selection, extra: Record<string, string> = {}): URLSearchParams {
  const params = viewParams(view);
  params.delete("cluster");
  params.delete("instance");
  for (const [k, v] of serializeSelection(selection)) params.append(k, v);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}

export async function fetchAudit<T>(query: AuditQuery, params: URLSearchParams, signal?: AbortSignal): Promise<T> {
  return (await getJson<{ data: T }>(`/api/audit/${query}?${params}`, signal)).data;
}

export function fetchWebhooks(view: ViewState, signal?: AbortSignal): Promise<WebhookSummary> {
  return getJson<WebhookSummary>(`/api/webhooks?${viewParams(view)}`, signal);
}

export function fetchApfStatus(view: ViewState, signal?: AbortSignal): Promise<ApfStatus> {
  return getJson<ApfStatus>(`/api/apf/status?${viewParams(view)}`, signal);
}

export async function fetchAuditStatus(signal?: AbortSignal): Promise<AuditStatus> {
  return (await getJson<{ data: AuditStatus }>("/api/audit/status", signal)).data;
}

function parseBody(text: string): { data?: IngestOutcome; error?: string; errorType?: string } | null {
  try {
    return JSON.parse(text) as { data?: IngestOutcome; error?: string; errorType?: string };
  } catch {
    return null;
  }
}

/** Uploads an audit log file; XMLHttpRequest because fetch cannot report upload progress. */
export function uploadAuditLog(file: File, onProgress: (fraction: number) => void): { done: Promise<IngestOutcome>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<IngestOutcome>((resolve, reject) => {
    xhr.open("POST", `/api/audit/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && body?.data) resolve(body.data);
      else reject(new ApiError(body?.errorType ?? "http", body?.error ?? `upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new ApiError("network", "upload failed: the apiscope server is unreachable"));
    xhr.onabort = () => reject(new ApiError("aborted", "upload cancelled"));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
