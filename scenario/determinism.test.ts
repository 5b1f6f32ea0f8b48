import { describe, expect, it } from "vitest";
import { SMALL_SCENARIO, generateToStrings, sha256 } from "./testing/fixture";

describe("determinism", () => {
  const first = generateToStrings(SMALL_SCENARIO);

  it("produces byte-identical outputs for the same params", () => {
    const again = generateToStrings(SMALL_SCENARIO);
    expect(sha256(again.openMetrics)).toBe(sha256(first.openMetrics));
    expect(sha256(again.auditLines.join("\n"))).toBe(sha256(first.auditLines.join("\n")));
    expect(JSON.stringify(again.summary)).toBe(JSON.stringify(first.summary));
  });

  it("produces different outputs for a different seed", () => {
    const other = generateToStrings({ ...SMALL_SCENARIO, seed: SMALL_SCENARIO.seed + 1 });
    expect(sha256(other.openMetrics)).not.toBe(sha256(first.openMetrics));
    expect(sha256(other.auditLines.join("\n"))).not.toBe(sha256(first.auditLines.join("\n")));
  });

  it("produces the same metrics and summary when the audit sink is absent", () => {
    const metricsOnly = generateToStrings(SMALL_SCENARIO, false);
    expect(metricsOnly.auditLines).toEqual([]);
    expect(sha256(metricsOnly.openMetrics)).toBe(sha256(first.openMetrics));
    expect(JSON.stringify(metricsOnly.summary)).toBe(JSON.stringify(first.summary));
  });

  it("returns a JSON-serialisable summary", () => {
    expect(JSON.parse(JSON.stringify(first.summary))).toEqual(first.summary);
  });
});
