// Range-query planning: a step from a fixed ladder sized to the panel, and start/end aligned to that step,
// so every viewer of the same window (and width class) sends Prometheus the byte-identical query.

const STEP_LADDER_SECONDS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
/** Prometheus refuses range queries above 11,000 points per series. */
const PROMETHEUS_MAX_POINTS = 11_000;
const MIN_POINTS = 30;
/** A point every few pixels is as much as a line chart can show. */
const PIXELS_PER_POINT = 3;

export interface RangePlan {
  startSeconds: number;
  endSeconds: number;
  stepSeconds: number;
  /** Window for rate()/increase(): wide enough to hold several scrapes, never narrower than a step. */
  rateWindowSeconds: number;
}

export function maxPointsForWidth(widthPx: number): number {
  const points = Math.floor(Math.max(0, widthPx) / PIXELS_PER_POINT);
  return Math.min(PROMETHEUS_MAX_POINTS, Math.max(MIN_POINTS, points));
}

/** The smallest ladder step that keeps the range within the point budget and not below the scrape interval. */
export function chooseStep(rangeSeconds: number, widthPx: number, scrapeIntervalSeconds: number): number {
  const wanted = Math.max(rangeSeconds / maxPointsForWidth(widthPx), scrapeIntervalSeconds);
  const step = STEP_LADDER_SECONDS.find((s) => s >= wanted);
  return step ?? Math.ceil(wanted / 86400) * 86400;
}

/** Like Grafana's $__rate_interval: max(step + scrape interval, 4 × scrape interval). */
export function rateWindow(stepSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(stepSeconds + scrapeIntervalSeconds, 4 * scrapeIntervalSeconds);
}

export function planRange(startMs: number, endMs: number, widthPx: number, scrapeIntervalSeconds: number): RangePlan {
  const rangeSeconds = Math.max(1, (endMs - startMs) / 1000);
  const stepSeconds = chooseStep(rangeSeconds, widthPx, scrapeIntervalSeconds);
  const startSeconds = Math.floor(startMs / 1000 / stepSeconds) * stepSeconds;
  let endSeconds = Math.floor(endMs / 1000 / stepSeconds) * stepSeconds;
  if (endSeconds <= startSeconds) endSeconds = startSeconds + stepSeconds;
  return { startSeconds, endSeconds, stepSeconds, rateWindowSeconds: rateWindow(stepSeconds, scrapeIntervalSeconds) };
}
