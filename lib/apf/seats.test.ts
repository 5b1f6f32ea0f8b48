import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BOOTSTRAP_PRIORITY_LEVELS } from "./bootstrap";
import { nominalSeats, withNewLevel } from "./seats";

describe("nominal seats", () => {
  it("reproduce the API server's split of 600 seats over the default levels", () => {
    expect(Object.fromEntries(nominalSeats(BOOTSTRAP_PRIORITY_LEVELS, 600))).toEqual({
      exempt: 0,
      "catch-all": 13,
      system: 74,
      "node-high": 98,
      "leader-election": 25,
      "workload-high": 98,
      "workload-low": 245,
      "global-default": 49,
    });
  });

  it("equal what a real 1.34 API server reports", () => {
    const file = path.join(import.meta.dirname, "../../test/fixtures/nri-kubernetes/1_34.metrics.gz");
    const dump = gunzipSync(readFileSync(file)).toString("utf8");
    const reported = [...dump.matchAll(/^apiserver_flowcontrol_nominal_limit_seats\{priority_level="([^"]+)"\} (\d+)$/gm)];
    expect(reported).toHaveLength(8);
    const seats = nominalSeats(BOOTSTRAP_PRIORITY_LEVELS, 600);
    for (const [, level, value] of reported) expect(seats.get(level!), level).toBe(Number(value));
  });

  it("scale with the server limit and round up", () => {
    const seats = nominalSeats(BOOTSTRAP_PRIORITY_LEVELS, 3000);
    expect(seats.get("workload-low")).toBe(Math.ceil((3000 * 100) / 245));
    expect(seats.get("catch-all")).toBe(62); // 61.2 rounded up
    expect(nominalSeats([], 600).size).toBe(0);
    expect(nominalSeats([{ name: "only", nominalConcurrencyShares: 0 }], 600).get("only")).toBe(0);
  });

  it("count an Exempt level's own shares in the sum", () => {
    const exempt = { name: "exempt", nominalConcurrencyShares: 5 };
    expect(nominalSeats([exempt, { name: "a", nominalConcurrencyShares: 5 }], 100).get("a")).toBe(50);
  });

  it("show what a new level takes from everyone else", () => {
    const plan = withNewLevel(BOOTSTRAP_PRIORITY_LEVELS, { name: "throttle", nominalConcurrencyShares: 5 }, 600);
    // 600 × 5 / 250 = 12 seats; the others are now divided by 250 instead of 245.
    expect(plan.seats).toBe(12);
    const byName = Object.fromEntries(plan.others.map((o) => [o.name, o]));
    expect(byName["workload-low"]).toEqual({ name: "workload-low", before: 245, after: 240, change: -5 });
    expect(byName["catch-all"]).toEqual({ name: "catch-all", before: 13, after: 12, change: -1 });
    expect(byName["exempt"]!.change).toBe(0);
    expect(plan.others.every((o) => o.change <= 0)).toBe(true);
    expect(plan.takenFromOthers).toBe(-plan.others.reduce((a, o) => a + o.change, 0));
    expect(plan.takenFromOthers).toBeGreaterThan(0);
  });

  it("refuse a level name that exists", () => {
    expect(() => withNewLevel(BOOTSTRAP_PRIORITY_LEVELS, { name: "system", nominalConcurrencyShares: 1 })).toThrow(RangeError);
  });
});
