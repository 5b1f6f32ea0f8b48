// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`:
// series-major (all samples of a series in time order), each family
// contiguous after its # TYPE line, timestamps in seconds, no blank lines,
// terminated by # EOF.

import type { Family, MetricStore, Series } from "./metrics-store";

const CHUNK_CHARS = 1 << 20;

export interface OpenMetricsStats {
  families: number;
  series: number;
}

export function writeOpenMetrics(
  store: MetricStore,
  startUnixSeconds: number,
  stepSeconds: number,
  emit: (chunk: string) => void,
): OpenMetricsStats {
  const timestamps = Array.from({ length: store.samples }, (_, k) => String(startUnixSeconds + k * stepSeconds));
  let buffer = "";
  const write = (text: string) => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      emit(buffer);
      buffer = "";
    }
  };
  const stats: OpenMetricsStats = { families: 0, series: 0 };

  for (const family of store.families) {
    if (family.series.size === 0) continue;
    stats.families++;
    write(`# TYPE ${typeName(family)} ${family.type}\n`);
    const series = [...family.series.values()].sort((a, b) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0));
    for (const s of series) {
      if (family.type === "histogram") {
        stats.series += writeHistogram(family, s, timestamps, write);
      } else {
        writeSamples(sampleName(family.name, s.labels), cumulativeValues(s, family.cumulative === true), family.valueScale, timestamps, write);
        stats.series++;
      }
    }
  }
  write("# EOF\n");
  if (buffer.length > 0) emit(buffer);
  return stats;
}

/** OpenMetrics names counter families without the _total suffix their samples carry. */
function typeName(family: Family): string {
  return family.type === "counter" && family.name.endsWith("_total") ? family.name.slice(0, -"_total".length) : family.name;
}

function cumulativeValues(s: Series, cumulative: boolean): Float64Array {
  const out = new Float64Array(s.values.length);
  let running = s.offset;
  for (let k = 0; k < out.length; k++) {
    const v = s.values[k] as number;
    if (cumulative) {
      running += v;
      out[k] = running;
    } else {
      out[k] = s.offset + v;
    }
  }
  return out;
}

function writeSamples(
  prefix: string,
  values: Float64Array,
  scale: number | undefined,
  timestamps: string[],
  write: (text: string) => void,
): void {
  let text = "";
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    text += `${prefix}${formatValue(scale ? v * scale : v)} ${timestamps[k]}\n`;
  }
  write(text);
}

function writeHistogram(family: Family, s: Series, timestamps: string[], write: (text: string) => void): number {
  const width = family.boundsUs.length + 1;
  const samples = s.values.length;
  const buckets = s.buckets as Float64Array;
  const offsets = s.bucketOffsets as Float64Array;
  // cumulative[k * width + b]: observations <= bound b up to sample k.
  const cumulative = new Float64Array(samples * width);
  for (let k = 0; k < samples; k++) {
    let acrossBuckets = 0;
    for (let b = 0; b < width; b++) {
      acrossBuckets += (buckets[k * width + b] as number) + (k === 0 ? (offsets[b] as number) : 0);
      cumulative[k * width + b] = acrossBuckets + (k > 0 ? (cumulative[(k - 1) * width + b] as number) : 0);
    }
  }
  const sep = s.labels === "" ? "" : ",";
  const name = family.name;
  const column = new Float64Array(samples);
  for (let b = 0; b < width; b++) {
    const le = b < family.boundsUs.length ? String((family.boundsUs[b] as number) / 1e6) : "+Inf";
    for (let k = 0; k < samples; k++) column[k] = cumulative[k * width + b] as number;
    writeSamples(sampleName(`${name}_bucket`, `${s.labels}${sep}le="${le}"`), column, undefined, timestamps, write);
  }
  const sums = cumulativeValues({ ...s, values: s.sum as Float64Array, offset: s.sumOffset }, true);
  writeSamples(sampleName(`${name}_sum`, s.labels), sums, 1e-6, timestamps, write);
  writeSamples(sampleName(`${name}_count`, s.labels), cumulativeValues(s, true), undefined, timestamps, write);
  return width + 2;
}

function sampleName(name: string, labels: string): string {
  return labels === "" ? `${name} ` : `${name}{${labels}} `;
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  // Microsecond accumulators: six decimals are exact and keep output stable.
  return String(Math.round(v * 1e6) / 1e6);
}
