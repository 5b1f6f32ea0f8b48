import { describe, expect, it } from "vitest";
import { generateScenario } from "./generate";
import { timelineOf, validateParams, withDefaults } from "./params";
import { DEFAULT_SCENARIO, type ScenarioParams } from "./types";

const valid: ScenarioParams = withDefaults({ endUnixSeconds: 1733929800 });
const sinks = { openMetrics: () => undefined };

describe("scenario params", () => {
  it("defaults to 300 nodes, 90 minutes, incident at minute 50 over 10 minutes, 3 apiservers", () => {
    expect(DEFAULT_SCENARIO).toEqual({
      nodes: 300,
      durationMinutes: 90,
      incidentStartMinute: 50,
      rolloutMinutes: 10,
      seed: 1,
      scrapeIntervalSeconds: 30,
      apiservers: 3,
    });
    expect(() => validateParams(valid)).not.toThrow();
  });

  it("derives the window from the end time", () => {
    const t = timelineOf(valid);
    expect(t.startUnixSeconds).toBe(1733929800 - 90 * 60);
    expect(t.samples).toBe(181);
    expect(t.incidentStartUs).toBe(50 * 60e6);
  });

  it.each([
    [{ nodes: 0 }, /nodes must be between/],
    [{ nodes: 2.5 }, /nodes must be an integer/],
    [{ durationMinutes: -5 }, /durationMinutes must be between/],
    [{ rolloutMinutes: 0 }, /rolloutMinutes must be between/],
    [{ apiservers: 0 }, /apiservers must be between/],
    [{ seed: -1 }, /seed must be between/],
    [{ scrapeIntervalSeconds: 0 }, /scrapeIntervalSeconds must be between/],
    [{ incidentStartMinute: 90 }, /incidentStartMinute \(90\) must be less than durationMinutes \(90\)/],
    [{ endUnixSeconds: 1733929801 }, /endUnixSeconds \(1733929801\) must be a multiple of scrapeIntervalSeconds/],
    [{ scrapeIntervalSeconds: 7 }, /durationMinutes\*60 \(5400\) must be a multiple of scrapeIntervalSeconds \(7\)/],
    [{ endUnixSeconds: 600 }, /before the unix epoch/],
    [{ endUnixSeconds: Number.NaN }, /endUnixSeconds must be an integer/],
  ] as [Partial<ScenarioParams>, RegExp][])("rejects %o", (override, message) => {
    expect(() => validateParams({ ...valid, ...override })).toThrow(message);
    expect(() => generateScenario({ ...valid, ...override }, sinks)).toThrow(message);
  });
});
