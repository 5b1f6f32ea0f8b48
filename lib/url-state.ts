// The one URL-state module: every piece of view state lives in the query string, through these codecs.
import { DIMENSION_NAMES, type Dimension, type Filters } from "./audit/dimensions";
import { formatTimeRef, parseTimeRef, toAbsolute, type TimeRange } from "./time-range";

export const REFRESH_OPTIONS = ["off", "10s", "30s", "1m", "5m"] as const;
export type RefreshOption = (typeof REFRESH_OPTIONS)[number];

export interface ViewState {
  range: TimeRange;
  refresh: RefreshOption;
  /** Empty means all clusters / all instances. */
  cluster: string;
  instance: string;
}

export const DEFAULT_VIEW: ViewState = Object.freeze({
  range: { from: { kind: "now", offsetSeconds: 3600 }, to: { kind: "now", offsetSeconds: 0 } },
  refresh: "off",
  cluster: "",
  instance: "",
}) as ViewState;

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: ParamSource, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Label values are free text but bounded; anything else falls back to the default. */
const labelValue = (v: string | undefined) => (v !== undefined && v.length <= 256 ? v : "");

export function parseViewState(params: ParamSource): ViewState {
  const from = parseTimeRef(read(params, "from") ?? "");
  const to = parseTimeRef(read(params, "to") ?? "");
  const refresh = read(params, "refresh");
  return {
    range: from && to ? { from, to } : DEFAULT_VIEW.range,
    refresh: REFRESH_OPTIONS.includes(refresh as RefreshOption) ? (refresh as RefreshOption) : DEFAULT_VIEW.refresh,
    cluster: labelValue(read(params, "cluster")),
    instance: labelValue(read(params, "instance")),
  };
}

/** Query string in a fixed key order, defaults left out, so equal views have equal URLs. */
export function serializeViewState(view: ViewState): URLSearchParams {
  const out = new URLSearchParams();
  const from = formatTimeRef(view.range.from);
  const to = formatTimeRef(view.range.to);
  if (from !== formatTimeRef(DEFAULT_VIEW.range.from) || to !== formatTimeRef(DEFAULT_VIEW.range.to)) {
    out.set("from", from);
    out.set("to", to);
  }
  if (view.refresh !== DEFAULT_VIEW.refresh) out.set("refresh", view.refresh);
  if (view.cluster) out.set("cluster", view.cluster);
  if (view.instance) out.set("instance", view.instance);
  return out;
}

/** The link to share: the same view with its time range pinned to absolute times. */
export function shareableView(view: ViewState, nowMs: number): ViewState {
  return { ...view, range: toAbsolute(view.range, nowMs), refresh: "off" };
}

/** What the audit views show: how requests are grouped (nesting order) and which are kept. */
export interface Selection {
  group: Dimension[];
  filters: Filters;
}

export const DEFAULT_SELECTION: Selection = Object.freeze({ group: ["client"], filters: {} }) as Selection;
export const MAX_GROUP_DIMENSIONS = 3;
const MAX_FILTER_VALUES = 20;
const MAX_FILTER_LENGTH = 4096;

export const SELECTION_KEYS: readonly string[] = ["group", ...DIMENSION_NAMES];

function readAll(params: ParamSource, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const v = params[key];
  return v === undefined ? [] : [v].flat();
}

/** Unknown or repeated dimensions are dropped; overlong values too (the API would refuse them). */
export function parseSelection(params: ParamSource): Selection {
  const group = [...new Set((read(params, "group") ?? "").split(","))].filter((d): d is Dimension => DIMENSION_NAMES.includes(d as Dimension));
  const filters: Filters = {};
  for (const d of DIMENSION_NAMES) {
    const values = [...new Set(readAll(params, d))].filter((v) => v.length <= MAX_FILTER_LENGTH).slice(0, MAX_FILTER_VALUES);
    if (values.length > 0) filters[d] = values;
  }
  return { group: group.length > 0 ? group.slice(0, MAX_GROUP_DIMENSIONS) : DEFAULT_SELECTION.group, filters };
}

/** Query string in a fixed order (group, then filters by dimension), the default grouping left out. */
export function serializeSelection(sel: Selection): URLSearchParams {
  const out = new URLSearchParams();
  if (sel.group.join(",") !== DEFAULT_SELECTION.group.join(",")) out.set("group", sel.group.join(","));
  for (const d of DIMENSION_NAMES) for (const v of sel.filters[d] ?? []) out.append(d, v);
  return out;
}

/** The selection with one more filter value (a click on a group, a bar, a row). */
export function withFilter(sel: Selection, d: Dimension, value: string): Selection {
  const values = sel.filters[d] ?? [];
  return values.includes(value) ? sel : { ...sel, filters: { ...sel.filters, [d]: [...values, value] } };
}

export function withoutFilter(sel: Selection, d: Dimension, value: string): Selection {
  const values = (sel.filters[d] ?? []).filter((v) => v !== value);
  const filters = { ...sel.filters };
  if (values.length > 0) filters[d] = values;
  else delete filters[d];
  return { ...sel, filters };
}

/** The admission webhook whose detail is shown (webhook view). */
export interface WebhookChoice {
  name: string;
  type: "mutating" | "validating";
}

const WEBHOOK_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
export const WEBHOOK_KEYS: readonly string[] = ["webhook", "webhook_type"];

export function parseWebhookChoice(params: ParamSource): WebhookChoice | null {
  const name = read(params, "webhook");
  const type = read(params, "webhook_type");
  if (!name || !WEBHOOK_NAME.test(name) || (type !== "mutating" && type !== "validating")) return null;
  return { name, type };
}

export function serializeWebhookChoice(choice: WebhookChoice | null): URLSearchParams {
  return new URLSearchParams(choice ? { webhook: choice.name, webhook_type: choice.type } : {});
}

/** A form's settings that fit in flat parameters: numbers, bounded text and switches. */
export type FlatSettings = Record<string, number | string | boolean>;

const MAX_TEXT_PARAM = 256;

/**
 * Settings from `prefix.key` parameters over `defaults`; a value of the wrong kind, too long, or outside `allowed`
 * keeps the default. Range checks belong to the form, which explains them.
 */
export function parseFlat<T extends FlatSettings>(params: ParamSource, prefix: string, defaults: T, allowed: Partial<Record<keyof T, readonly string[]>> = {}): T {
  const out: FlatSettings = { ...defaults };
  for (const [key, fallback] of Object.entries(defaults)) {
    const v = read(params, `${prefix}.${key}`);
    if (v === undefined) continue;
    if (typeof fallback === "number") {
      const n = Number(v);
      if (v.trim() !== "" && Number.isFinite(n)) out[key] = n;
    } else if (typeof fallback === "boolean") {
      if (v === "1" || v === "0") out[key] = v === "1";
    } else if (v.length <= MAX_TEXT_PARAM && (allowed[key as keyof T]?.includes(v) ?? true)) {
      out[key] = v;
    }
  }
  return out as T;
}

/** The `prefix.key` parameters of the settings that differ from the defaults, in the defaults' key order. */
export function serializeFlat<T extends FlatSettings>(prefix: string, defaults: T, value: T): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, fallback] of Object.entries(defaults)) {
    const v = value[key];
    if (v === undefined || v === fallback) continue;
    out.set(`${prefix}.${key}`, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  }
  return out;
}
