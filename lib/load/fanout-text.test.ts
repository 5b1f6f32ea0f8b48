import { describe, expect, it } from "vitest";
import { describeShape } from "./fanout-text";

describe("fan-out in words", () => {
  it("says how many sources send which request how often", () => {
    expect(describeShape({ sources: 5000, verb: "list", resource: "pods", scope: "cluster", intervalSeconds: 10 })).toBe(
      "5,000 sources × LIST pods cluster-wide every 10s",
    );
    expect(describeShape({ sources: 1, verb: "get", resource: "configmaps", scope: "resource", intervalSeconds: null })).toBe(
      "1 source × GET configmaps by name once each",
    );
    expect(describeShape({ sources: 3, verb: "watch", resource: "nodes", scope: "", intervalSeconds: 0.5 })).toBe("3 sources × WATCH nodes every 500ms");
  });
});
