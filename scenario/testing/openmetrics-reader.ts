// A tiny OpenMetrics reader for tests: enough to check structure and values
// of the generator's own output, not a general parser.

export interface ParsedSeries {
  name: string;
  labels: Record<string, string>;
  /** Canonical "name{k="v",...}" with sorted labels. */
  key: string;
  timestamps: number[];
  values: number[];
}

export interface ParsedOpenMetrics {
  types: Map<string, string>;
  series: Map<string, ParsedSeries>;
  /** Family names in the order their # TYPE lines appear. */
  familyOrder: string[];
  /** Structural problems found while reading (empty when the text is well formed). */
  problems: string[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+) (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g;

export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(LABEL)) labels[m[1] as string] = m[2] as string;
  return labels;
}

export function seriesKey(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return `${name}{${parts.join(",")}}`;
}

/** The family a sample belongs to, given the declared families. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ["_total", "_bucket", "_sum", "_count"]) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return undefined;
}

export function parseOpenMetrics(text: string): ParsedOpenMetrics {
  const types = new Map<string, string>();
  const series = new Map<string, ParsedSeries>();
  const familyOrder: string[] = [];
  const problems: string[] = [];
  const closedFamilies = new Set<string>();
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines[lines.length - 1] !== "# EOF") problems.push("last line is not # EOF");
  let current: string | undefined;
  let lastKey: string | undefined;

  lines.forEach((line, index) => {
    if (line === "") {
      problems.push(`blank line ${index + 1}`);
      return;
    }
    if (line === "# EOF") {
      if (index !== lines.length - 1) problems.push(`# EOF before the end (line ${index + 1})`);
      return;
    }
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(" ");
      if (!name || !type) return void problems.push(`bad TYPE line ${index + 1}`);
      if (types.has(name)) problems.push(`family ${name} declared twice`);
      if (current) closedFamilies.add(current);
      types.set(name, type);
      familyOrder.push(name);
      current = name;
      return;
    }
    if (line.startsWith("#")) return;
    const m = SAMPLE.exec(line);
    if (!m) return void problems.push(`unparsable line ${index + 1}: ${line.slice(0, 120)}`);
    const name = m[1] as string;
    const family = familyOf(name, types);
    if (family !== current) problems.push(`sample of ${name} outside its family block (line ${index + 1})`);
    const labels = parseLabels(m[2] ?? "");
    for (const [k, v] of Object.entries(labels)) if (v === "") problems.push(`empty label ${k} on line ${index + 1}`);
    const key = seriesKey(name, labels);
    let s = series.get(key);
    if (!s) {
      s = { name, labels, key, timestamps: [], values: [] };
      series.set(key, s);
    } else if (lastKey !== key) {
      problems.push(`samples of ${key} are not contiguous (line ${index + 1})`);
    }
    lastKey = key;
    const ts = Number(m[4]);
    if (!Number.isInteger(ts)) problems.push(`timestamp not in whole seconds on line ${index + 1}`);
    const prev = s.timestamps[s.timestamps.length - 1];
    if (prev !== undefined && ts <= prev) problems.push(`timestamps not ascending for ${key}`);
    s.timestamps.push(ts);
    s.values.push(Number(m[3]));
  });
  return { types, series, familyOrder, problems };
}

/** Series of a metric name whose labels include all of `match`. */
export function select(parsed: ParsedOpenMetrics, name: string, match: Record<string, string> = {}): ParsedSeries[] {
  const out: ParsedSeries[] = [];
  for (const s of parsed.series.values()) {
    if (s.name !== name) continue;
    if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) out.push(s);
  }
  return out;
}

/** Increase of a counter between two sample indexes. */
export function increase(s: ParsedSeries, fromIndex: number, toIndex: number): number {
  return (s.values[toIndex] as number) - (s.values[fromIndex] as number);
}

/**
 * histogram_quantile(q, sum by (le) (increase(name_bucket[...]))) over samples
 * (fromIndex, toIndex]: linear inside the bucket, the highest finite bound for +Inf.
 */
export function histogramQuantile(parsed: ParsedOpenMetrics, name: string, q: number, fromIndex: number, toIndex: number): number {
  const byLe = new Map<number, number>();
  for (const s of select(parsed, `${name}_bucket`)) {
    const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + increase(s, fromIndex, toIndex));
  }
  const rank = q * (byLe.get(Infinity) ?? 0);
  let prevCount = 0;
  let prevLe = 0;
  for (const le of [...byLe.keys()].sort((a, b) => a - b)) {
    const count = byLe.get(le) as number;
    if (count >= rank && count > prevCount) return le === Infinity ? prevLe : prevLe + ((le - prevLe) * (rank - prevCount)) / (count - prevCount);
    prevCount = count;
    prevLe = le;
  }
  return prevLe;
}
