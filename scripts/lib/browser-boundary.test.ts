// What the browser's code may do and reach: queries only through lib/client (no useQuery or fetch in components or
// pages), one refetch policy, and nothing that imports the store's driver or server-only code, even for a type.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectGraph } from "./import-graph";

const root = path.resolve(import.meta.dirname, "../..");
const graph = projectGraph(root);
const text = (file: string) => readFileSync(path.join(root, file), "utf8");
const sources = [...graph.keys()].filter((f) => !/\.test\.tsx?$/.test(f));
const under = (...dirs: string[]) => sources.filter((f) => dirs.some((d) => f.startsWith(d)));

/** Files importing a server-side package, type-only imports included. */
const SERVER_IMPORT = /(?:from\s+|import\s*\(?\s*)["'](?:server-only|@duckdb\/node-api)["']/;

/** The chain of imports from `file` to the first server-side file it reaches, or null. */
function serverChain(file: string, server: ReadonlySet<string>): string[] | null {
  const parent = new Map<string, string | null>([[file, null]]);
  const queue = [file];
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (server.has(v)) {
      const chain = [v];
      for (let p = parent.get(v); p; p = parent.get(p)) chain.unshift(p);
      return chain;
    }
    for (const w of graph.get(v) ?? []) {
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return null;
}

describe("the browser's code", () => {
  it("queries only through lib/client: no useQuery and no fetch in components or pages", () => {
    const direct = under("components/", "app/").filter((f) => !f.startsWith("app/api/") && /\buseQuery\s*[(<]|(?<![\w.])fetch\s*\(/.test(text(f)));
    expect(direct).toEqual([]);
    expect(under("lib/client/").length).toBeGreaterThan(3);
  });

  it("has one refetch policy: ERROR_RETRY_MS is defined once, in lib/client", () => {
    const defined = sources.filter((f) => /\bERROR_RETRY_MS\s*=/.test(text(f)));
    expect(defined).toEqual(["lib/client/refetch.ts"]);
  });

  it("reaches no file that imports @duckdb/node-api or server-only", () => {
    const server = new Set([...graph.keys()].filter((f) => SERVER_IMPORT.test(text(f))));
    expect(server.size).toBeGreaterThan(10);
    const reached = under("components/", "lib/client/").map((f) => serverChain(f, server)?.join(" → ")).filter(Boolean);
    expect(reached).toEqual([]);
  });
});
