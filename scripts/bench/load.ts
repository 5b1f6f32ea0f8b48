// Benchmark of the pages that read the audit store: time from opening a page to every panel drawn, in Debian's
// Chromium against the production build, with 1,000,000 and with 10,000,000 requests stored and the window covering
// all of them. The Load page (culprit card, chart, treemap, table, fan-out, LIST hygiene, the Prometheus panels,
// drill-down) has targets; the Webhooks page (with its per-request audit panel) and the APF page are measured too.
// The stores are built from the 1M-event scenario log (see ingest.ts), shifted to end with the scenario Prometheus'
// window (the same 90-minute incident timeline) and, for 10M, replicated into earlier copies with distinct auditIDs.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { parseConfig } from "@/lib/config";
import { EVENT_COLUMN_NAMES } from "@/lib/audit/columns";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "@/lib/audit/ingest/chunk-filter";
import { catalogSegment, dropSegment, newSegment, type CatalogedSegment } from "@/lib/audit/segments";
import { createAuditService } from "@/lib/audit/service";
import { openStore, rows } from "@/lib/store/store";
import { startApp } from "../lib/app";
import { freePort } from "../lib/ports";
import { scenarioAppEnv, startScenarioPrometheus } from "../lib/scenario-prometheus";

const LOG = path.resolve(".bench/ingest/scenario/audit.log");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
if (!existsSync(LOG)) throw new Error("run scripts/bench/ingest.ts first (it generates the 1M-event log)");

/** A store of `copies` × the log, the newest copy ending at `endMs`; returns the span stored and its size. */
async function buildStore(dataDir: string, copies: number, endMs: number): Promise<{ fromMs: number; toMs: number; requests: number }> {
  rmSync(dataDir, { recursive: true, force: true });
  const config = parseConfig({ APISCOPE_PROMETHEUS_URL: "http://127.0.0.1:9", APISCOPE_DATA_DIR: dataDir, APISCOPE_AUDIT_FILES: LOG, APISCOPE_AUDIT_RETENTION: "3650d" });
  const store = await openStore(config.audit);
  const svc = await createAuditService(config.audit, { background: false, store });
  await svc.pollFiles();
  const cols = EVENT_COLUMN_NAMES.join(", ");
  const span = await svc.store.write(async (conn) => {
    const [seg] = await rows<CatalogedSegment & { min_ts: number; max_ts: number }>(conn, "SELECT id, file, rollup_file, min_ts, max_ts FROM segments ORDER BY id LIMIT 1");
    const source = path.join(svc.store.segmentsDir, seg!.file);
    const spanMs = seg!.max_ts - seg!.min_ts + 60_000;
    for (let i = 0; i < copies; i++) {
      const copy = await newSegment(conn, svc.store);
      const shift = `to_milliseconds(${endMs - seg!.max_ts - i * spanMs})`;
      await conn.run(
        `COPY (SELECT * REPLACE (audit_id || '-${i}' AS audit_id, ts + ${shift} AS ts, received_at + ${shift} AS received_at)
               FROM (SELECT ${cols}, ${SEGMENT_REASON_COLUMN} FROM read_parquet('${source}', union_by_name = true) WHERE ${STORED_FILTER}))
         TO '${copy.full}' (FORMAT parquet, COMPRESSION zstd)`,
      );
      await catalogSegment(conn, copy, STORED_FILTER);
    }
    await dropSegment(conn, seg!);
    return { fromMs: endMs - (seg!.max_ts - seg!.min_ts) - (copies - 1) * spanMs - 1000, toMs: endMs + 1000 };
  });
  await svc.maintain(); // rollups of the new segments, as the running server builds them
  const [{ n }] = (await svc.store.query<{ n: number }>("SELECT sum(rows) AS n FROM segments")) as [{ n: number }];
  await svc.close();
  await store.close();
  return { ...span, requests: n };
}

/** The pages measured, each with how many panels it draws at least. */
const PAGES = [
  { path: "/load", panels: 9, targetMs: (copies: number) => (copies === 1 ? 2000 : 4000) },
  { path: "/webhooks", panels: 10, targetMs: () => null },
  { path: "/apf", panels: 10, targetMs: () => null },
];

async function allPanelsDrawn(page: Page, minPanels: number): Promise<Record<string, number>> {
  await page.waitForFunction(
    (min) => {
      const panels = [...document.querySelectorAll("[data-panel]")];
      return panels.length >= min && panels.every((p) => p.getAttribute("data-state") !== "loading");
    },
    minPanels,
    { timeout: 120_000, polling: 20 },
  );
  return page.$$eval("[data-panel]", (els) =>
    els.reduce<Record<string, number>>((acc, el) => {
      const s = el.getAttribute("data-state") ?? "?";
      acc[s] = (acc[s] ?? 0) + 1;
      return acc;
    }, {}),
  );
}

const { files, prometheus } = await startScenarioPrometheus({ dir: path.resolve(".data/bench-load") });
const browser = await chromium.launch({ executablePath: process.env.APISCOPE_CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
const endMs = files.summary.window.endUnixSeconds * 1000;
const results: string[] = [];
try {
  for (const copies of [1, 10]) {
    const dataDir = path.resolve(`.bench/load-${copies}x`);
    const store = await buildStore(dataDir, copies, endMs);
    const app = await startApp({ port: await freePort(), env: { ...scenarioAppEnv(prometheus.url), APISCOPE_DATA_DIR: dataDir }, quiet: true });
    try {
      for (const target of PAGES) {
        const times: number[] = [];
        let states: Record<string, number> = {};
        for (let i = 0; i < RUNS; i++) {
          const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
          const page = await context.newPage();
          const t0 = Date.now();
          await page.goto(`${app.url}${target.path}?from=${store.fromMs}&to=${store.toMs}`);
          states = await allPanelsDrawn(page, target.panels);
          times.push(Date.now() - t0);
          await context.close();
        }
        const sorted = [...times].sort((a, b) => a - b);
        const goal = target.targetMs(copies);
        results.push(
          `  ${target.path.padEnd(9)} ${store.requests.toLocaleString("en-US").padStart(10)} requests stored: first ${times[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms` +
            `   (${goal === null ? "no target" : `target ≤ ${goal / 1000} s`}; panels ${JSON.stringify(states)})`,
        );
      }
      const children = readFileSync(`/proc/${app.process.pid}/task/${app.process.pid}/children`, "utf8").trim().split(/\s+/);
      const pid = Number(children[0] ?? app.process.pid);
      const peakMb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
      results.push(`  peak server memory with ${store.requests.toLocaleString("en-US")} requests stored: ${Math.round(peakMb)} MB`);
    } finally {
      await app.stop();
    }
  }
} finally {
  await browser.close();
  await prometheus.stop();
}
console.log(`
Pages on the audit store: open → every panel drawn, window covering everything stored (${RUNS} loads each, new browser context each)
${results.join("\n")}
`);
