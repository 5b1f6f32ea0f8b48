// Per-scrape accumulators for every metric series. Each simulated request adds
// to the sample index of the scrape that first sees it, so counters, histograms
// and gauges are all views of the same requests.

export type FamilyType = "counter" | "gauge" | "histogram" | "unknown";

export interface FamilySpec {
  name: string;
  type: FamilyType;
  labelNames: readonly string[];
  /** Histogram upper bounds in seconds (without +Inf). */
  buckets?: readonly number[];
  /** Values are accumulated as deltas and emitted as running sums (counters, level gauges). */
  cumulative?: boolean;
  /** Multiplier applied when emitting values (1e-6 for microsecond accumulators). */
  valueScale?: number;
}

export interface Series {
  labels: string;
  /** Counter/gauge values or deltas; histogram counts per sample. */
  values: Float64Array;
  offset: number;
  /** Histogram only: non-cumulative bucket deltas, sample-major (k * (buckets + 1) + b). */
  buckets?: Float64Array;
  bucketOffsets?: Float64Array;
  /** Histogram only: sum of observations in microseconds. */
  sum?: Float64Array;
  sumOffset: number;
}

export interface Family extends FamilySpec {
  boundsUs: Float64Array;
  series: Map<string, Series>;
}

export class MetricStore {
  readonly families: Family[] = [];

  constructor(
    readonly samples: number,
    readonly stepUs: number,
  ) {}

  family(spec: FamilySpec): Family {
    const family: Family = {
      ...spec,
      boundsUs: Float64Array.from((spec.buckets ?? []).map((b) => Math.round(b * 1e6))),
      series: new Map(),
    };
    this.families.push(family);
    return family;
  }

  /** Gets or creates the series for the label values (in labelNames order). */
  series(family: Family, values: readonly string[]): Series {
    const key = values.join("\u0001");
    let series = family.series.get(key);
    if (series === undefined) {
      series = this.createSeries(family, values);
      family.series.set(key, series);
    }
    return series;
  }

  private createSeries(family: Family, values: readonly string[]): Series {
    const parts: string[] = [];
    family.labelNames.forEach((name, i) => {
      const value = values[i] ?? "";
      if (value !== "") parts.push(`${name}="${value}"`);
    });
    const series: Series = {
      labels: parts.join(","),
      values: new Float64Array(this.samples),
      offset: 0,
      sumOffset: 0,
    };
    if (family.type === "histogram") {
      const width = family.boundsUs.length + 1;
      series.buckets = new Float64Array(this.samples * width);
      series.bucketOffsets = new Float64Array(width);
      series.sum = new Float64Array(this.samples);
    }
    return series;
  }

  add(series: Series, k: number, delta: number): void {
    if (k >= 0 && k < this.samples) series.values[k] = (series.values[k] as number) + delta;
  }

  observe(family: Family, series: Series, k: number, valueUs: number): void {
    if (k < 0 || k >= this.samples || !series.buckets || !series.sum) return;
    const bounds = family.boundsUs;
    let b = 0;
    while (b < bounds.length && valueUs > (bounds[b] as number)) b++;
    const index = k * (bounds.length + 1) + b;
    series.buckets[index] = (series.buckets[index] as number) + 1;
    series.sum[k] = (series.sum[k] as number) + valueUs;
    series.values[k] = (series.values[k] as number) + 1;
  }

  /** Gauge contribution of something present during [fromUs, toUs): every scrape in that range sees `weight` more. */
  span(series: Series, fromUs: number, toUs: number, weight: number): void {
    const step = this.stepUs;
    let k = fromUs <= 0 ? 0 : Math.ceil(fromUs / step);
    const values = series.values;
    while (k < this.samples && k * step < toUs) {
      values[k] = (values[k] as number) + weight;
      k++;
    }
  }
}
