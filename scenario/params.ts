import { DEFAULT_SCENARIO, type ScenarioParams } from "./types";

/** Derived timing of a scenario. Simulation time is integer microseconds from the window start. */
export interface Timeline {
  startUnixSeconds: number;
  endUnixSeconds: number;
  stepSeconds: number;
  stepUs: number;
  /** Samples per series: window start to end inclusive. */
  samples: number;
  /** Window end in simulation microseconds. */
  endUs: number;
  incidentStartUs: number;
  rolloutUs: number;
}

const LIMITS: Record<keyof ScenarioParams, [number, number]> = {
  nodes: [1, 5000],
  durationMinutes: [1, 24 * 60],
  incidentStartMinute: [0, 24 * 60],
  rolloutMinutes: [1, 24 * 60],
  seed: [0, 0xffffffff],
  endUnixSeconds: [1, 32503680000],
  scrapeIntervalSeconds: [1, 300],
  apiservers: [1, 9],
};

/** Fills defaults for everything but the end time. */
export function withDefaults(
  partial: Partial<ScenarioParams> & Pick<ScenarioParams, "endUnixSeconds">,
): ScenarioParams {
  return { ...DEFAULT_SCENARIO, ...partial };
}

/** Throws an Error naming the offending parameter when params are not usable. */
export function validateParams(params: ScenarioParams): void {
  for (const key of Object.keys(LIMITS) as (keyof ScenarioParams)[]) {
    const value: unknown = params[key];
    const [min, max] = LIMITS[key];
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw new Error(`scenario: ${key} must be an integer, got ${String(value)}`);
    }
    if (value < min || value > max) {
      throw new Error(`scenario: ${key} must be between ${min} and ${max}, got ${value}`);
    }
  }
  const { durationMinutes, incidentStartMinute, scrapeIntervalSeconds, endUnixSeconds } = params;
  if (incidentStartMinute >= durationMinutes) {
    throw new Error(
      `scenario: incidentStartMinute (${incidentStartMinute}) must be less than durationMinutes (${durationMinutes})`,
    );
  }
  if ((durationMinutes * 60) % scrapeIntervalSeconds !== 0) {
    throw new Error(
      `scenario: durationMinutes*60 (${durationMinutes * 60}) must be a multiple of scrapeIntervalSeconds (${scrapeIntervalSeconds})`,
    );
  }
  if (endUnixSeconds % scrapeIntervalSeconds !== 0) {
    throw new Error(
      `scenario: endUnixSeconds (${endUnixSeconds}) must be a multiple of scrapeIntervalSeconds (${scrapeIntervalSeconds})`,
    );
  }
  if (endUnixSeconds - durationMinutes * 60 <= 0) {
    throw new Error("scenario: the window would start before the unix epoch");
  }
}

export function timelineOf(params: ScenarioParams): Timeline {
  const windowSeconds = params.durationMinutes * 60;
  return {
    startUnixSeconds: params.endUnixSeconds - windowSeconds,
    endUnixSeconds: params.endUnixSeconds,
    stepSeconds: params.scrapeIntervalSeconds,
    stepUs: params.scrapeIntervalSeconds * 1e6,
    samples: windowSeconds / params.scrapeIntervalSeconds + 1,
    endUs: windowSeconds * 1e6,
    incidentStartUs: params.incidentStartMinute * 60e6,
    rolloutUs: params.rolloutMinutes * 60e6,
  };
}

/** Sample index whose scrape first sees something that happened at `us` (samples count (T[k-1], T[k]]). */
export function sampleIndexOf(timeline: Timeline, us: number): number {
  return Math.ceil(us / timeline.stepUs);
}
