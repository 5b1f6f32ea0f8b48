// The project's own import graph, read with TypeScript's pre-processor (imports, `import type`, re-exports and
// dynamic imports alike): file-level cycles anywhere, and the layers of `lib/` with the imports that break them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** File → the project files it imports (paths relative to the root, with extensions). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const SKIPPED_DIRS = new Set(["node_modules", ".next", ".data", ".git", ".bench", "test-results", "playwright-report"]);
const SOURCE_RE = /\.(ts|tsx|mjs)$/;

function listSources(root: string, dir: string, out: string[]): void {
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) listSources(root, rel, out);
    } else if (SOURCE_RE.test(e.name) && !e.name.endsWith(".d.ts")) out.push(rel);
  }
}

/** A specifier as the `@/` alias, relative paths and the bundler resolve it; null for packages. */
export function resolveSpecifier(from: string, spec: string, exists: (file: string) => boolean): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) if (exists(candidate)) return candidate;
  return null;
}

/** The graph of the given sources (file → text); imports that resolve to no file are left out. */
export function graphOf(sources: ReadonlyMap<string, string>): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const specs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    const targets = specs.map((s) => resolveSpecifier(file, s, (f) => sources.has(f))).filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The graph of the project under `root`. */
export function projectGraph(root: string): ImportGraph {
  const files: string[] = [];
  listSources(root, "", files);
  return graphOf(new Map(files.map((f) => [f, readFileSync(path.join(root, f), "utf8")])));
}

/** Strongly connected components of more than one node (Tarjan): each is a cycle, listed sorted. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * The unit of `lib/` a file belongs to: its top folder (`lib/audit`) or, for a top-level file, the file itself (its
 * test counts as the file).
 */
export function libUnit(file: string): string | null {
  const parts = file.split("/");
  if (parts[0] !== "lib" || parts.length < 2) return null;
  return parts.length > 2 ? `lib/${parts[1]}` : file.replace(/\.test\.ts$/, ".ts");
}

/** Folder-level graph of `lib/`: unit → units it imports, each edge with the file imports behind it. */
export function libUnitGraph(graph: ImportGraph): Map<string, Map<string, string[]>> {
  const units = new Map<string, Map<string, string[]>>();
  for (const [file, targets] of graph) {
    const from = libUnit(file);
    if (!from) continue;
    if (!units.has(from)) units.set(from, new Map());
    for (const target of targets) {
      const to = libUnit(target);
      if (!to || to === from) continue;
      const edges = units.get(from)!;
      edges.set(to, [...(edges.get(to) ?? []), `${file} → ${target}`]);
    }
  }
  return units;
}

/**
 * Imports of `lib/` that do not go strictly downwards through `layers` (lowest first; units of one layer may not
 * import each other), and units the layers do not name.
 */
export function layerViolations(graph: ImportGraph, layers: readonly (readonly string[])[]): string[] {
  const rank = new Map(layers.flatMap((units, i) => units.map((u) => [u, i] as const)));
  const problems: string[] = [];
  for (const [from, edges] of libUnitGraph(graph)) {
    const r = rank.get(from);
    if (r === undefined) {
      problems.push(`${from} is in no layer: add it to the layer list`);
      continue;
    }
    for (const [to, why] of edges) {
      const s = rank.get(to);
      if (s === undefined) problems.push(`${to} is in no layer: add it to the layer list`);
      else if (s >= r) problems.push(`${from} (layer ${r}) imports ${to} (layer ${s}): ${why.join("; ")}`);
    }
  }
  return [...new Set(problems)];
}

/** For the checker's own test: a graph from a literal. */
export function graphFrom(edges: Record<string, string[]>): ImportGraph {
  return new Map(Object.entries(edges));
}

