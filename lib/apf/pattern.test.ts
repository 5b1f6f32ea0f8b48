import { describe, expect, it } from "vitest";
import { namePattern, sharedGroups } from "./pattern";

describe("subject patterns", () => {
  it("summarises node identities by their prefix and shared group", () => {
    const names = Array.from({ length: 300 }, (_, i) => `system:node:ip-10-0-${i >> 8}-${i & 255}.ec2.internal`);
    expect(namePattern(names)).toBe("system:node:ip-10-0-*");
    expect(namePattern(["system:node:a", "system:node:b"])).toBe("system:node:*");
    expect(sharedGroups(names.map(() => ["system:nodes", "system:authenticated"]))).toEqual(["system:nodes"]);
  });

  it("says nothing is shared rather than invent a pattern", () => {
    expect(namePattern(["alice", "bob"])).toBeNull();
    expect(namePattern(["alice"])).toBe("alice");
    expect(namePattern([])).toBeNull();
    expect(sharedGroups([["a", "system:authenticated"], ["b", "system:authenticated"]])).toEqual([]);
  });
});
