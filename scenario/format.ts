// Text formats shared by the audit log and the summary.

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Trims trailing zeros of a fixed-point fraction ("500000" -> "5"). */
function trimFraction(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits[end - 1] === "0") end--;
  return digits.slice(0, end);
}

function withFraction(whole: number, fraction: number, digits: number, unit: string): string {
  const f = trimFraction(pad(fraction, digits));
  return f === "" ? `${whole}${unit}` : `${whole}.${f}${unit}`;
}

/** Go's time.Duration.String() for a non-negative nanosecond count ("1.5s", "812.5ms", "28.677µs", "1m2s"). */
export function goDuration(ns: number): string {
  const n = Math.round(ns);
  if (n <= 0) return "0s";
  if (n < 1e3) return `${n}ns`;
  if (n < 1e6) return withFraction(Math.floor(n / 1e3), n % 1e3, 3, "µs");
  if (n < 1e9) return withFraction(Math.floor(n / 1e6), n % 1e6, 6, "ms");
  const totalSeconds = Math.floor(n / 1e9);
  const secondsPart = withFraction(totalSeconds % 60, n % 1e9, 9, "s");
  if (totalSeconds < 60) return secondsPart;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m${secondsPart}`;
  return `${Math.floor(totalMinutes / 60)}h${totalMinutes % 60}m${secondsPart}`;
}

/** Formats unix microseconds as RFC 3339 with microseconds; caches the per-second prefix (lines arrive in time order). */
export function createMicroTimeFormatter(): (unixUs: number) => string {
  let cachedSecond = Number.NaN;
  let cachedPrefix = "";
  return (unixUs: number) => {
    const second = Math.floor(unixUs / 1e6);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    return `${cachedPrefix}.${pad(unixUs - second * 1e6, 6)}Z`;
  };
}

/** Rounds to a fixed number of decimals for JSON summaries. */
export function round(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
