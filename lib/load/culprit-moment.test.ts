import { describe, expect, it } from "vitest";
import type { CulpritAnswer } from "./culprit";
import { culpritMoment } from "./culprit-moment";

// Only the fields culpritMoment reads; the rest of an answer does not change the moment.
const answer = (kind: string, culprit: object | null, firstSeenMs: number | null) =>
  ({ verdict: { kind, culprit }, firstSeenMs }) as unknown as CulpritAnswer;

describe("the moment the culprit's load began", () => {
  it("is its first request when it jumped against the window before", () => {
    expect(culpritMoment(answer("jump", { client: "telemetry-agent/v2", change: null }, 1_000))).toEqual({ name: "first request of telemetry-agent/v2", atMs: 1_000 });
  });

  it("is the change inside the window, said as an appearance or a rise", () => {
    expect(culpritMoment(answer("change", { client: "a", change: { appeared: true, atMs: 5 } }, 1))).toEqual({ name: "a appeared", atMs: 5 });
    expect(culpritMoment(answer("change", { client: "b", change: { appeared: false, atMs: 7 } }, 1))).toEqual({ name: "b rose", atMs: 7 });
  });

  it("is none without a culprit, for the costliest client alone, or without a first request; long names are cut", () => {
    expect(culpritMoment(undefined)).toBeNull();
    expect(culpritMoment(answer("none", null, null))).toBeNull();
    expect(culpritMoment(answer("costliest", { client: "c", change: null }, 3))).toBeNull();
    expect(culpritMoment(answer("jump", { client: "c", change: null }, null))).toBeNull();
    expect(culpritMoment(answer("jump", { client: "x".repeat(100), change: null }, 9))!.name).toBe(`first request of ${"x".repeat(40)}`);
  });
});
