import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration";

describe("durations", () => {
  it("parses Prometheus durations into seconds", () => {
    expect(parseDuration("30s")).toBe(30);
    expect(parseDuration("5m")).toBe(300);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("2d")).toBe(172800);
    expect(parseDuration("1500ms")).toBe(1.5);
  });
  it("rejects what is not a duration", () => {
    for (const bad of ["", "30", "s", "1.5h", "-5m", "5 m", "0s", "1x"]) expect(parseDuration(bad), bad).toBeNull();
  });
  it("formats seconds as the shortest duration and round-trips", () => {
    expect(formatDuration(90)).toBe("1m30s");
    expect(formatDuration(86400 + 3600)).toBe("1d1h");
    for (const s of [1, 59, 60, 61, 3599, 3600, 86399, 90061]) expect(parseDuration(formatDuration(s))).toBe(s);
  });
});
