import { describe, expect, it } from "vitest";
import {
  formatTimeRef,
  parseTimeRef,
  parseUtcInput,
  rangeProblem,
  resolveRange,
  toAbsolute,
  zoomOut,
  type TimeRange,
} from "./time-range";

const NOW = Date.UTC(2024, 11, 11, 16, 0, 0);
const lastHour: TimeRange = { from: { kind: "now", offsetSeconds: 3600 }, to: { kind: "now", offsetSeconds: 0 } };

describe("time references", () => {
  it("parse and format relative and absolute times", () => {
    for (const text of ["now", "now-1h", "now-15m", "now-2d", "1733932800000"]) {
      const ref = parseTimeRef(text);
      expect(ref, text).not.toBeNull();
      expect(formatTimeRef(ref!)).toBe(text);
    }
    expect(formatTimeRef(parseTimeRef("now-90m")!)).toBe("now-90m");
    expect(formatTimeRef(parseTimeRef("now-1h30m")!)).toBe("now-90m");
  });
  it("take any epoch milliseconds, 0 included", () => {
    expect(parseTimeRef("0")).toEqual({ kind: "absolute", ms: 0 });
  });
  it("reject junk", () => {
    for (const bad of ["", "yesterday", "now+1h", "now-", "-1", "1e12", "1234567890123456", "now-1x", "2024-12-11"]) expect(parseTimeRef(bad), bad).toBeNull();
  });
});

describe("ranges", () => {
  it("resolve relative to a clock", () => {
    expect(resolveRange(lastHour, NOW)).toEqual({ startMs: NOW - 3600_000, endMs: NOW });
  });
  it("pin to absolute times for sharing", () => {
    const pinned = toAbsolute(lastHour, NOW);
    expect(pinned).toEqual({ from: { kind: "absolute", ms: NOW - 3600_000 }, to: { kind: "absolute", ms: NOW } });
    // An hour later the pinned range still shows the same window.
    expect(resolveRange(pinned, NOW + 3600_000)).toEqual(resolveRange(lastHour, NOW));
  });
  it("explain unusable ranges", () => {
    expect(rangeProblem(lastHour, NOW)).toBeNull();
    expect(rangeProblem({ from: { kind: "absolute", ms: NOW }, to: { kind: "absolute", ms: NOW - 1 } }, NOW)).toMatch(/before its end/);
    expect(rangeProblem({ from: { kind: "now", offsetSeconds: 40 * 86400 }, to: { kind: "now", offsetSeconds: 0 } }, NOW)).toMatch(/31 days/);
  });
  it("zoom out around the centre without passing now", () => {
    const mid = { from: { kind: "absolute", ms: NOW - 4 * 3600_000 }, to: { kind: "absolute", ms: NOW - 2 * 3600_000 } } as TimeRange;
    expect(resolveRange(zoomOut(mid, NOW), NOW)).toEqual({ startMs: NOW - 5 * 3600_000, endMs: NOW - 3600_000 });
    expect(resolveRange(zoomOut(lastHour, NOW), NOW)).toEqual({ startMs: NOW - 2 * 3600_000, endMs: NOW });
  });
  it("parse UTC input from the picker", () => {
    expect(parseUtcInput("2024-12-11 15:04:05")).toBe(Date.UTC(2024, 11, 11, 15, 4, 5));
    expect(parseUtcInput("2024-12-11T15:04")).toBe(Date.UTC(2024, 11, 11, 15, 4, 0));
    expect(parseUtcInput("2024-02-31 10:00")).toBeNull();
    expect(parseUtcInput("11/12/2024 10:00")).toBeNull();
  });
});
