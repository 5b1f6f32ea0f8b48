import { describe, expect, it } from "vitest";
import { sortRows } from "@/lib/sort-rows";

const rows = [
  { name: "b", v: 2 as number | null },
  { name: "a", v: null },
  { name: "c", v: 2 },
  { name: "d", v: 5 },
];

describe("sortRows", () => {
  it("sorts numbers either way with missing values last and ties in the given order", () => {
    expect(sortRows(rows, (r) => r.v, true).map((r) => r.name)).toEqual(["d", "b", "c", "a"]);
    expect(sortRows(rows, (r) => r.v, false).map((r) => r.name)).toEqual(["b", "c", "d", "a"]);
  });
  it("sorts text", () => {
    expect(sortRows(rows, (r) => r.name, false).map((r) => r.name)).toEqual(["a", "b", "c", "d"]);
  });
});
