import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_PANELS, findPanel } from "./panels";

/** The rows of the README's "Panel ids" table: `| \`id\` | title | pages |`. */
function readmePanelRows(): Array<{ id: string; title: string }> {
  const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  const start = readme.indexOf("\n#### Panel ids\n");
  expect(start, "README has a '#### Panel ids' section").toBeGreaterThan(-1);
  const section = readme.slice(start + 1).split(/\n#{1,4} /)[0]!;
  return [...section.matchAll(/^\| `([^`]+)` \| ([^|]+?) \|/gm)].map((m) => ({ id: m[1]!, title: m[2]! }));
}

describe("panel registry", () => {
  it("serves every panel by its id, each id once", () => {
    for (const p of ALL_PANELS) expect(findPanel(p.id), p.id).toBe(p);
    expect(new Set(ALL_PANELS.map((p) => p.id)).size).toBe(ALL_PANELS.length);
  });
  it("is what the README's API section lists, id for id and with each panel's title", () => {
    expect(readmePanelRows()).toEqual(ALL_PANELS.map((p) => ({ id: p.id, title: p.title })));
  });
});
