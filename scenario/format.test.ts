import { describe, expect, it } from "vitest";
import { createMicroTimeFormatter, goDuration } from "./format";
import { Rng, uuidFrom } from "./rng";
import { queryEscape } from "./task";

describe("goDuration", () => {
  it.each([
    [0, "0s"],
    [750, "750ns"],
    [28_677, "28.677µs"],
    [1_000, "1µs"],
    [812_500_000, "812.5ms"],
    [3_000_000, "3ms"],
    [1_234_567_000, "1.234567s"],
    [2_000_000_000, "2s"],
    [437_000_000_000, "7m17s"],
    [62_500_000_000, "1m2.5s"],
    [3_725_000_000_000, "1h2m5s"],
  ])("formats %d ns as %s", (ns, text) => {
    expect(goDuration(ns)).toBe(text);
  });
});

describe("micro time", () => {
  it("formats RFC 3339 with six fractional digits", () => {
    const format = createMicroTimeFormatter();
    expect(format(1733929445_123456)).toBe("2024-12-11T15:04:05.123456Z");
    expect(format(1733929445_000007)).toBe("2024-12-11T15:04:05.000007Z");
    expect(format(1733929446_000000)).toBe("2024-12-11T15:04:06.000000Z");
  });
});

describe("randomness", () => {
  it("derives UUID v4-shaped ids deterministically", () => {
    const id = uuidFrom(1, 42);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFrom(1, 42)).toBe(id);
    expect(uuidFrom(2, 42)).not.toBe(id);
    expect(new Set(Array.from({ length: 10_000 }, (_, n) => uuidFrom(1, n))).size).toBe(10_000);
  });

  it("repeats the same stream for the same seed", () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const c = new Rng(6);
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.nextU32());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });
});

describe("queryEscape", () => {
  it("escapes like Go's url.QueryEscape", () => {
    expect(queryEscape("spec.nodeName=node-0042")).toBe("spec.nodeName%3Dnode-0042");
    expect(queryEscape("!service.kubernetes.io/headless,!a")).toBe("%21service.kubernetes.io%2Fheadless%2C%21a");
  });
});
