// Prometheus' functions: the humanize family, and the number they take.

import { ExecError, NoPreview } from "./errors";
import { formatFloat } from "./float";
import { goQuote, timeString } from "./fmt";
import { type Val, typeName } from "./values";

const humanizeSmall = (v: number, suffix = ""): string => {
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatFloat(v, "g", 4)}${prefix}${suffix}`;
};

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatFloat(v, "g", 4);
  if (Math.abs(v) >= 1) {
    let prefix = "";
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return `${formatFloat(v, "g", 4)}${prefix}`;
  }
  return humanizeSmall(v);
}

export function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatFloat(v, "g", 4);
  let prefix = "";
  for (const p of ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return `${formatFloat(v, "g", 4)}${prefix}`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatFloat(v, "g", 4);
  if (v === 0) return `${formatFloat(v, "g", 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    v = Math.abs(v);
    // Go's int64(v), which on amd64 turns anything past 2^63 into -2^63.
    const whole = v >= 2 ** 63 ? -(2n ** 63n) : BigInt(Math.trunc(v));
    const seconds = whole % 60n;
    const minutes = (whole / 60n) % 60n;
    const hours = (whole / 3600n) % 24n;
    const days = whole / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatFloat(v, "g", 4)}s`;
  }
  return humanizeSmall(v, "s");
}

export function humanizePercentage(v: number): string {
  return `${formatFloat(v * 100, "g", 4)}%`;
}

/** Seconds since the epoch as Prometheus' model.Time: truncated to milliseconds. */
export function toTimeMs(v: number): bigint {
  const ns = v * 1e9;
  if (ns > 2 ** 63 || ns < -(2 ** 63)) {
    throw new ExecError(`${formatFloat(v, "g", -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  }
  return BigInt(Math.trunc(ns)) / 1_000_000n;
}

export function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return formatFloat(v, "g", 4);
  return timeString(toTimeMs(v));
}

/** Go's strconv.ParseFloat, for the strings Prometheus' humanize functions accept. */
function parseGoFloat(s: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (/^[+-]?0[xX]|_/.test(s)) throw new NoPreview("this number's syntax cannot be previewed");
  throw new ExecError(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
}

export function toFloat(v: Val): number {
  switch (v.k) {
    case "float":
      return v.v;
    case "int":
      return Number(v.v);
    case "string":
      return parseGoFloat(v.v);
    default:
      throw new ExecError(`can't convert ${typeName(v)} to float`);
  }
}
