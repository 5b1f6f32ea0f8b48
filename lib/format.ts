// Number and time formatting for axes, tooltips and tables. Times are shown in UTC: incident timelines are
// compared across teams and time zones.
/** What a number measures, for its formatting. */
export type Unit = "reqps" | "seconds" | "bytes" | "cores" | "count" | "ratio";

const trim = (n: number, digits: number) => {
  const s = n.toFixed(digits);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
};

function scaled(value: number, steps: ReadonlyArray<readonly [number, string]>, digits: number): string {
  const abs = Math.abs(value);
  for (const [size, suffix] of steps) if (abs >= size) return `${trim(value / size, digits)}${suffix}`;
  return trim(value, digits);
}

const SI = [[1e9, "G"], [1e6, "M"], [1e3, "k"]] as const;
const BYTES = [[2 ** 40, " TiB"], [2 ** 30, " GiB"], [2 ** 20, " MiB"], [2 ** 10, " KiB"], [1, " B"]] as const;

export function formatSeconds(s: number): string {
  const abs = Math.abs(s);
  if (abs === 0) return "0";
  if (abs < 1e-3) return `${trim(s * 1e6, 0)}µs`;
  if (abs < 1) return `${trim(s * 1e3, abs < 0.01 ? 2 : 0)}ms`;
  if (abs < 60) return `${trim(s, 2)}s`;
  return `${trim(s / 60, 1)}m`;
}

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "seconds":
      return formatSeconds(value);
    case "bytes":
      return value === 0 ? "0 B" : scaled(value, BYTES, 1);
    case "ratio":
      return `${trim(value * 100, value < 0.1 ? 1 : 0)}%`;
    case "reqps": {
      const abs = Math.abs(value);
      // Below 1/s: two significant digits, so the ticks of a rare event (0.002/s, 0.004/s …) stay distinct.
      if (abs > 0 && abs < 1) return `${trim(value, Math.min(12, 1 - Math.floor(Math.log10(abs))))}/s`;
      return `${scaled(value, SI, value < 10 ? 2 : 1)}/s`;
    }
    case "cores":
      return trim(value, 2);
    case "count":
      return scaled(value, SI, 1);
  }
}

export const UNIT_LABEL: Record<Unit, string> = {
  reqps: "requests/s",
  seconds: "seconds",
  bytes: "bytes",
  cores: "CPU cores",
  count: "count",
  ratio: "utilisation",
};

const pad = (n: number) => String(n).padStart(2, "0");

/** `2024-12-11 15:04:05` in UTC. */
export function formatUtc(ms: number, withSeconds = true): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${withSeconds ? `:${pad(d.getUTCSeconds())}` : ""}`;
  return `${date} ${time}`;
}

/** Axis tick label: time of day, with the date when the range spans days. */
export function formatAxisTime(ms: number, rangeMs: number): string {
  const full = formatUtc(ms, false);
  return rangeMs > 86400_000 ? full.slice(5) : full.slice(11);
}

/** A power-of-two tick interval giving about five ticks up to `max` bytes (1, 2, 4, 8 GiB rather than 1.9, 3.7 GiB). */
export function bytesTickInterval(max: number): number | undefined {
  if (!(max > 0)) return undefined;
  return 2 ** Math.ceil(Math.log2(max / 5));
}
