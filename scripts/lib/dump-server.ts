// Serves recorded kube-apiserver /metrics dumps as live scrape targets. A dump is one snapshot, so counters
// would never move and every rate would be zero; each scrape therefore scales counter-like samples by a growing
// factor, which makes rates proportional to the recorded totals and keeps histogram shapes as recorded.
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

interface Line {
  text: string; // the sample line without its value, or a whole comment/static line
  value?: number; // present when the value grows with every scrape
  suffix?: string;
}

const SAMPLE_RE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\d+)?$/;

/** Splits a dump into lines, marking the samples of counters, histograms and summaries (not quantiles) as growing. */
export function parseDump(text: string): Line[] {
  const types = new Map<string, string>();
  const out: Line[] = [];
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const m = SAMPLE_RE.exec(line);
    if (!m) {
      if (line) out.push({ text: line });
      continue;
    }
    const name = m[1]!;
    const family = name.replace(/_(bucket|sum|count|total)$/, "");
    const kind = types.get(name) ?? types.get(family);
    const isQuantile = kind === "summary" && /quantile="/.test(m[2] ?? "");
    const grows = (kind === "counter" || kind === "histogram" || kind === "summary") && !isQuantile;
    const value = Number(m[3]);
    // Timestamps in dumps would pin samples to the recording time; drop them.
    if (grows && Number.isFinite(value)) out.push({ text: `${name}${m[2] ?? ""} `, value });
    else out.push({ text: `${name}${m[2] ?? ""} ${m[3]}` });
  }
  return out;
}

export function renderDump(lines: Line[], factor: number): string {
  return lines.map((l) => (l.value === undefined ? l.text : `${l.text}${l.value * factor}`)).join("\n") + "\n";
}

export interface DumpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves each gzip dump at /metrics/<name>. */
export async function startDumpServer(dumps: Record<string, string>, port: number): Promise<DumpServer> {
  const parsed = new Map(Object.entries(dumps).map(([name, file]) => [name, parseDump(gunzipSync(readFileSync(file)).toString("utf8"))]));
  const scrapes = new Map<string, number>();
  const server = createServer((req, res) => {
    const name = /^\/metrics\/([\w.-]+)$/.exec(req.url ?? "")?.[1];
    const lines = name ? parsed.get(name) : undefined;
    if (!name || !lines) {
      res.writeHead(404).end();
      return;
    }
    const n = (scrapes.get(name) ?? 0) + 1;
    scrapes.set(name, n);
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    res.end(renderDump(lines, 1 + n * 0.05));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
