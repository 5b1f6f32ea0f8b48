import { describe, expect, it } from "vitest";
import { bytesTickInterval, formatAxisTime, formatUtc, formatValue } from "./format";

describe("formatting", () => {
  it("formats values with their units", () => {
    expect(formatValue(0.0123, "seconds")).toBe("12ms");
    expect(formatValue(0.0042, "seconds")).toBe("4.2ms");
    expect(formatValue(2.5, "seconds")).toBe("2.5s");
    expect(formatValue(1536 * 1024 * 1024, "bytes")).toBe("1.5 GiB");
    expect(formatValue(0.5, "ratio")).toBe("50%");
    expect(formatValue(1234, "reqps")).toBe("1.2k/s");
    expect(formatValue(3, "reqps")).toBe("3/s");
    expect(formatValue(0.125, "reqps")).toBe("0.13/s");
    // Small rates keep two significant digits, so axis ticks of a rare event stay distinct.
    expect([0.002, 0.004, 0.006, 0.008, 0.01].map((v) => formatValue(v, "reqps"))).toEqual(["0.002/s", "0.004/s", "0.006/s", "0.008/s", "0.01/s"]);
    expect(formatValue(0.000123, "reqps")).toBe("0.00012/s");
    expect(formatValue(12000, "count")).toBe("12k");
    expect(formatValue(null, "count")).toBe("–");
  });
  it("shows times in UTC", () => {
    const t = Date.UTC(2024, 11, 11, 15, 4, 5);
    expect(formatUtc(t)).toBe("2024-12-11 15:04:05");
    expect(formatAxisTime(t, 3600_000)).toBe("15:04");
    expect(formatAxisTime(t, 3 * 86400_000)).toBe("12-11 15:04");
  });
});

describe("byte axis ticks", () => {
  it("step in powers of two", () => {
    expect(bytesTickInterval(11.9 * 2 ** 30)).toBe(4 * 2 ** 30);
    expect(bytesTickInterval(300 * 2 ** 20)).toBe(64 * 2 ** 20);
    expect(bytesTickInterval(0)).toBeUndefined();
  });
});
