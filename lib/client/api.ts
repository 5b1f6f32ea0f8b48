// The browser's calls to apiscope's own API, and the one reader of its envelope. Components never call fetch: they
// use the hooks (lib/client/hooks.ts), which call these.
import type { ApfSubjectsAnswer } from "../apf/resolve";
import type { ApfStatus } from "../apf/status-types";
import type { BreakdownAnswer, EventsAnswer, FanoutAnswer, ListHygieneAnswer, TimeseriesAnswer } from "../audit/answers";
import type { AuditStatus, DeletedUpload, IngestOutcome } from "../audit/types";
import type { CulpritAnswer } from "../load/culprit";
import type { PanelAnswer } from "../panels/types";
import type { TargetChoices } from "../panels/targets-types";
import type { BacktestBody, BacktestResult, RegressionAnswer, RegressionBody } from "../alerts/backtest-types";
import { resolveRange } from "../time-range";
import { serializeSelection, serializeViewState, type Selection, type ViewState } from "../url-state";
import type { WebhookAuditAnswer } from "../webhooks/audit-types";
import type { WebhookSummary } from "../webhooks/types";
import { shapeAdHoc, type AdHocQuery, type QueryRangeAnswer } from "./panel-source";

export class ApiError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An answer that may say the query failed travels without that case: a failure is the envelope's, thrown. */
export type Answered<T> = Exclude<T, { status: "error" }>;

const UNREACHABLE = "apiscope server unreachable — is it still running?";

/**
 * The one place the envelope (lib/http.ts) is read: `data` of a success, an ApiError (its errorType and message) of a
 * failure. `body` is the parsed JSON, or null when the answer was not JSON; `what` names the call in a fallback
 * message.
 */
export function unwrap<T>(httpStatus: number, body: unknown, what?: string): T {
  const e = (typeof body === "object" && body !== null ? body : {}) as { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown };
  const fallback = what ? `${what} (HTTP ${httpStatus})` : `HTTP ${httpStatus}`;
  if (httpStatus >= 200 && httpStatus < 300 && e.status === "success" && "data" in e) return e.data as T;
  if (e.status === "error") {
    throw new ApiError(typeof e.errorType === "string" ? e.errorType : "http", typeof e.error === "string" && e.error ? e.error : fallback);
  }
  throw new ApiError("http", httpStatus >= 200 && httpStatus < 300 ? `unexpected answer (HTTP ${httpStatus})` : fallback);
}

async function request<T>(path: string, init: { signal?: AbortSignal; method?: string; what?: string } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal: init.signal, method: init.method, headers: { Accept: "application/json" } });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError("network", UNREACHABLE);
  }
  return unwrap<T>(res.status, await res.json().catch(() => null), init.what);
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

export function fetchPanel(id: string, view: ViewState, widthPx: number, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<PanelAnswer> {
  const params = viewParams(view);
  params.set("width", String(widthPx));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return request<PanelAnswer>(`/api/panels/${encodeURIComponent(id)}?${params}`, { signal });
}

/** An ad-hoc expression over the view's window (as written: cluster and instance do not apply), shaped as a panel. */
export async function fetchAdHocPanel(query: AdHocQuery, view: ViewState, widthPx: number, signal?: AbortSignal): Promise<PanelAnswer> {
  const { startMs, endMs } = resolveRange(view.range, Date.now());
  const params = new URLSearchParams({
    query: query.promql,
    start: String(Math.floor(startMs / 1000)),
    end: String(Math.ceil(endMs / 1000)),
    width: String(widthPx),
  });
  return shapeAdHoc(query, await request<QueryRangeAnswer>(`/api/prometheus/query_range?${params}`, { signal }));
}

export function fetchTargets(view: ViewState, signal?: AbortSignal): Promise<TargetChoices> {
  return request<TargetChoices>(`/api/targets?${viewParams({ ...view, instance: "" })}`, { signal });
}

export interface ServerStatus {
  prometheus: { url: string; reachable: boolean; version?: string; error?: string };
}

export function fetchStatus(signal?: AbortSignal): Promise<ServerStatus> {
  return request<ServerStatus>("/api/status", { signal });
}

/** The `data` of each GET /api/audit/{query}: SQL-free answer types, beside each feature's code. */
export interface AuditAnswers {
  breakdown: BreakdownAnswer;
  culprit: CulpritAnswer;
  timeseries: TimeseriesAnswer;
  fanout: FanoutAnswer;
  "list-hygiene": ListHygieneAnswer;
  events: EventsAnswer;
  webhooks: WebhookAuditAnswer;
  "apf-subjects": ApfSubjectsAnswer;
}

export type AuditQuery = keyof AuditAnswers;

/** The query string of an audit query: the view's window, the selection, then query-specific options. */
export function auditParams(view: ViewState, selection: Selection, extra: Record<string, string> = {}): URLSearchParams {
  const params = viewParams(view);
  params.delete("cluster");
  params.delete("instance");
  for (const [k, v] of serializeSelection(selection)) params.append(k, v);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}

export function fetchAudit<Q extends AuditQuery>(query: Q, params: URLSearchParams, signal?: AbortSignal): Promise<AuditAnswers[Q]> {
  return request<AuditAnswers[Q]>(`/api/audit/${query}?${params}`, { signal });
}

export function fetchWebhooks(view: ViewState, signal?: AbortSignal): Promise<Answered<WebhookSummary>> {
  return request<Answered<WebhookSummary>>(`/api/webhooks?${viewParams(view)}`, { signal });
}

export function fetchApfStatus(view: ViewState, signal?: AbortSignal): Promise<Answered<ApfStatus>> {
  return request<Answered<ApfStatus>>(`/api/apf/status?${viewParams(view)}`, { signal });
}

export function fetchAuditStatus(signal?: AbortSignal): Promise<AuditStatus> {
  return request<AuditStatus>("/api/audit/status", { signal });
}

export function deleteAuditUpload(source: string): Promise<DeletedUpload> {
  return request<DeletedUpload>(`/api/audit/upload?source=${encodeURIComponent(source)}`, { method: "DELETE", what: "deleting failed" });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
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
      try {
        resolve(unwrap<IngestOutcome>(xhr.status, parseJson(xhr.responseText), "upload failed"));
      } catch (err) {
        reject(err as Error);
      }
    };
    xhr.onerror = () => reject(new ApiError("network", "upload failed: the apiscope server is unreachable"));
    xhr.onabort = () => reject(new ApiError("aborted", "upload cancelled"));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** One of apiscope's allow-listed Prometheus endpoints (GET /api/prometheus/{endpoint}); arrays become repeated keys. */
export function fetchPrometheusApi<T>(endpoint: "labels" | "label_values" | "series" | "metadata", params: Record<string, string | string[]>, signal?: AbortSignal): Promise<T> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const item of Array.isArray(v) ? v : [v]) search.append(k, item);
  return request<T>(`/api/prometheus/${endpoint}?${search}`, { signal });
}

export interface AlertContext {
  apiserverSelector: string;
  scrapeIntervalSeconds: number;
  names: string[] | null;
  namesError: string | null;
}

export function fetchAlertContext(view: ViewState, signal?: AbortSignal): Promise<AlertContext> {
  const { startMs, endMs } = resolveRange(view.range, Date.now());
  const params = new URLSearchParams({ start: String(Math.floor(startMs / 1000)), end: String(Math.ceil(endMs / 1000)) });
  return request<AlertContext>(`/api/alerts/context?${params}`, { signal });
}

/** A read-only computation whose input does not fit in a URL. */
async function post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, method: "POST", headers: { Accept: "application/json", "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError("network", UNREACHABLE);
  }
  return unwrap<T>(res.status, await res.json().catch(() => null));
}

export function postBacktest(body: BacktestBody, signal?: AbortSignal): Promise<BacktestResult> {
  return post<BacktestResult>("/api/alerts/backtest", body, signal);
}

export function postRegression(body: RegressionBody, signal?: AbortSignal): Promise<RegressionAnswer> {
  return post<RegressionAnswer>("/api/alerts/regression", body, signal);
}
