// The time axis every chart shares: the ticks of a window and where a time falls on it. The line charts (ECharts)
// and the heatmap (SVG) both take their ticks from here, so the same window shows the same ticks everywhere.

const MINUTE = 60_000;
/** Tick intervals, smallest first: round minutes and hours of the UTC clock. */
const TICK_INTERVALS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE);
/** About as many labels as fit under a half-width panel. */
export const MAX_TIME_TICKS = 6;

/** Round times inside [startMs, endMs]: multiples (UTC) of the smallest interval that gives at most `max` ticks. */
export function timeTicks(startMs: number, endMs: number, max = MAX_TIME_TICKS): number[] {
  if (!(endMs > startMs)) return [];
  const interval =
    TICK_INTERVALS_MS.find((i) => Math.floor(endMs / i) - Math.ceil(startMs / i) + 1 <= max) ??
    Math.ceil((endMs - startMs) / max / TICK_INTERVALS_MS.at(-1)!) * TICK_INTERVALS_MS.at(-1)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(startMs / interval) * interval; t <= endMs; t += interval) ticks.push(t);
  return ticks;
}

/** x of a time in a plot `width` wide that spans exactly [startMs, endMs], as the line charts' time axis does. */
export function timeX(t: number, startMs: number, endMs: number, width: number): number {
  return endMs > startMs ? ((t - startMs) / (endMs - startMs)) * width : 0;
}
