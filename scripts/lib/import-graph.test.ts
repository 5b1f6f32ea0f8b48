import path from "node:path";
import { describe, expect, it } from "vitest";
import { cycles, graphFrom, graphOf, layerViolations, projectGraph } from "./import-graph";

/**
 * The layers of `lib/`, lowest first. A unit imports only units of lower layers; the units of one layer know
 * nothing of each other (features stay apart). A new folder or top-level file has to be placed here.
 */
const LIB_LAYERS: readonly (readonly string[])[] = [
  // primitives
  ["lib/format.ts", "lib/duration.ts", "lib/size.ts", "lib/escape.ts", "lib/promql.ts", "lib/sort-rows.ts", "lib/http.ts"],
  ["lib/time-range.ts", "lib/config.ts", "lib/export", "lib/metrics"],
  // the two data sources: Prometheus and the embedded store
  ["lib/prometheus", "lib/store"],
  // the panel engine over Prometheus; the audit pipeline and its generic queries over the store
  ["lib/panels", "lib/audit"],
  // the URL codec of a view (window, targets, audit selection)
  ["lib/url-state.ts"],
  // features
  ["lib/overview", "lib/load", "lib/apf", "lib/webhooks", "lib/alerts"],
  // what pages and route handlers compose: the panel registry, route factories, the browser's query layer, start-up
  ["lib/registry", "lib/routes", "lib/client", "lib/startup.ts"],
];

const root = path.resolve(import.meta.dirname, "../..");

describe("import graph checker", () => {
  it("finds a cycle and names its files, including one closed by a type-only import", () => {
    const g = graphOf(
      new Map([
        ["lib/a/x.ts", 'import { y } from "../b/y";\nexport const x = 1;'],
        ["lib/b/y.ts", 'import type { Z } from "@/lib/a/z";\nexport const y = 2;'],
        ["lib/a/z.ts", 'import { x } from "./x";\nexport type Z = number;'],
        ["lib/c.ts", 'import { x } from "./a/x";\nimport React from "react";'],
      ]),
    );
    expect(cycles(g)).toEqual([["lib/a/x.ts", "lib/a/z.ts", "lib/b/y.ts"]]);
  });

  it("reports a folder-level loop as an import against the layers, with the file imports behind it", () => {
    const g = graphFrom({
      "lib/prometheus/client.ts": ["lib/config.ts"],
      "lib/config.ts": ["lib/prometheus/promql.ts"],
      "lib/prometheus/promql.ts": [],
    });
    expect(cycles(g)).toEqual([]); // no file-level cycle…
    const layers = [["lib/config.ts"], ["lib/prometheus"]];
    // …but a folder-level one, which the layers refuse.
    expect(layerViolations(g, layers)).toEqual(["lib/config.ts (layer 0) imports lib/prometheus (layer 1): lib/config.ts → lib/prometheus/promql.ts"]);
  });

  it("refuses imports between units of one layer and units the layers do not name", () => {
    const g = graphFrom({ "lib/load/a.ts": ["lib/apf/b.ts"], "lib/apf/b.ts": [], "lib/new/c.ts": ["lib/load/a.ts"] });
    expect(layerViolations(g, [["lib/load", "lib/apf"]])).toEqual([
      "lib/load (layer 0) imports lib/apf (layer 0): lib/load/a.ts → lib/apf/b.ts",
      "lib/new is in no layer: add it to the layer list",
    ]);
  });
});

describe("the project's imports", () => {
  const graph = projectGraph(root);

  it("are read from the whole tree", () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get("app/layout.tsx")).toContain("components/view/NavLinks.tsx");
  });

  it("form no cycle between files anywhere", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("go downwards through the layers of lib/, so lib/ is acyclic at folder level", () => {
    expect(layerViolations(graph, LIB_LAYERS)).toEqual([]);
  });
});
