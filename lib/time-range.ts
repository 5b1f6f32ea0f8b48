// Time ranges as they appear in URLs: relative ("now-1h" … "now") or absolute (epoch milliseconds).
import { parseDuration } from "./duration";

export type TimeRef = { kind: "now"; offsetSeconds: number } | { kind: "absolute"; ms: number };
export interface TimeRange {
  from: TimeRef;
  to: TimeRef;
}
export interface ResolvedRange {
  startMs: number;
  endMs: number;
}

const MAX_RANGE_SECONDS = 31 * 86400;

export function parseTimeRef(text: string): TimeRef | null {
  if (text === "now") return { kind: "now", offsetSeconds: 0 };
  const rel = /^now-(.+)$/.exec(text);
  if (rel) {
    const seconds = parseDuration(rel[1]!);
    return seconds === null ? null : { kind: "now", offsetSeconds: seconds };
  }
  // Any epoch milliseconds, 0 included (scripts ask for "everything since 0"), as every error message says.
  if (/^\d{1,15}$/.test(text)) return { kind: "absolute", ms: Number(text) };
  return null;
}

export function formatTimeRef(ref: TimeRef): string {
  if (ref.kind === "absolute") return String(Math.round(ref.ms));
  return ref.offsetSeconds === 0 ? "now" : `now-${formatSecondsAsRelative(ref.offsetSeconds)}`;
}

function formatSecondsAsRelative(seconds: number): string {
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

export function resolveRef(ref: TimeRef, nowMs: number): number {
  return ref.kind === "absolute" ? ref.ms : nowMs - ref.offsetSeconds * 1000;
}

export function resolveRange(range: TimeRange, nowMs: number): ResolvedRange {
  return { startMs: resolveRef(range.from, nowMs), endMs: resolveRef(range.to, nowMs) };
}

/** Why a range is unusable, or null when it is fine. */
export function rangeProblem(range: TimeRange, nowMs: number): string | null {
  const { startMs, endMs } = resolveRange(range, nowMs);
  if (endMs <= startMs) return "the start of the time range must be before its end";
  if ((endMs - startMs) / 1000 > MAX_RANGE_SECONDS) return "the time range may span at most 31 days";
  return null;
}

/** The same window pinned to absolute times, so a shared link shows what its author saw. */
export function toAbsolute(range: TimeRange, nowMs: number): TimeRange {
  const { startMs, endMs } = resolveRange(range, nowMs);
  return { from: { kind: "absolute", ms: startMs }, to: { kind: "absolute", ms: endMs } };
}

export const RELATIVE_PRESETS = ["5m", "15m", "30m", "1h", "3h", "6h", "12h", "24h", "2d", "7d"] as const;

/** Parses `YYYY-MM-DD HH:MM[:SS]` (or with a T) as UTC; null when it is not such a time. */
export function parseUtcInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject dates that Date.UTC silently rolled over (2024-02-31).
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : null;
}

/** Twice as long, around the same centre, never reaching past now. */
export function zoomOut(range: TimeRange, nowMs: number): TimeRange {
  const { startMs, endMs } = resolveRange(range, nowMs);
  const span = endMs - startMs;
  const end = Math.min(nowMs, endMs + span / 2);
  return { from: { kind: "absolute", ms: Math.round(end - 2 * span) }, to: { kind: "absolute", ms: Math.round(end) } };
}

export function absoluteRange(startMs: number, endMs: number): TimeRange {
  return { from: { kind: "absolute", ms: startMs }, to: { kind: "absolute", ms: endMs } };
}
