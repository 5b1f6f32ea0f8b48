// Benchmark of the overview page, printed as numbers:
//   - cold load to all panels drawn, in Debian's Chromium, against the production build (fresh server cache);
//   - JavaScript shipped to the browser for the overview (gzip);
//   - upstream Prometheus requests per view, and for 20 concurrent viewers of the same link.
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "@playwright/test";
import { startApp, type RunningApp } from "../lib/app";
import { startCountingProxy } from "../lib/counting-proxy";
import { freePort } from "../lib/ports";
import { scenarioAppEnv, startScenarioPrometheus } from "../lib/scenario-prometheus";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const VIEWERS = 20;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

async function allPanelsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const panels = [...document.querySelectorAll("[data-panel]")];
      return panels.length > 0 && panels.every((p) => p.getAttribute("data-state") !== "loading");
    },
    undefined,
    { timeout: 60_000, polling: 20 },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const { files, prometheus } = await startScenarioPrometheus({ dir: path.resolve(".data/bench") });
const proxy = await startCountingProxy(prometheus.url, await freePort());
const appPort = await freePort();
const link = `/?from=${files.summary.window.startUnixSeconds * 1000}&to=${files.summary.window.endUnixSeconds * 1000}`;
const browser: Browser = await chromium.launch({ executablePath: process.env.APISCOPE_CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });

/** A fresh server, so its short cache is empty: every measurement starts cold. */
const freshApp = (): Promise<RunningApp> => startApp({ port: appPort, env: scenarioAppEnv(proxy.url), quiet: true });

async function coldLoad(app: RunningApp): Promise<{ ms: number; jsGzipBytes: number; states: Record<string, number> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.push(r.body().then((b) => gzipSync(b).length, () => 0));
  });
  const t0 = Date.now();
  await page.goto(app.url + link);
  await allPanelsDrawn(page);
  const ms = Date.now() - t0;
  const states = await page.$$eval("[data-panel]", (els) =>
    els.reduce<Record<string, number>>((acc, el) => {
      const s = el.getAttribute("data-state") ?? "?";
      acc[s] = (acc[s] ?? 0) + 1;
      return acc;
    }, {}),
  );
  const jsGzipBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
  await context.close();
  return { ms, jsGzipBytes, states };
}

const loads: number[] = [];
let js = 0;
let perView = 0;
let panelStates: Record<string, number> = {};
for (let i = 0; i < RUNS; i++) {
  const app = await freshApp();
  proxy.reset();
  const r = await coldLoad(app);
  loads.push(r.ms);
  js = r.jsGzipBytes;
  panelStates = r.states;
  perView = proxy.total();
  await app.stop();
}

const app = await freshApp();
proxy.reset();
const contexts = await Promise.all(Array.from({ length: VIEWERS }, () => browser.newContext({ viewport: { width: 1440, height: 1000 } })));
const pages = await Promise.all(contexts.map((c) => c.newPage()));
const t0 = Date.now();
await Promise.all(pages.map(async (p) => {
  await p.goto(app.url + link);
  await allPanelsDrawn(p);
}));
const viewersMs = Date.now() - t0;
const concurrent = proxy.total();
await Promise.all(contexts.map((c) => c.close()));
await app.stop();
await browser.close();
await proxy.close();
await prometheus.stop();

const fmt = (n: number) => n.toLocaleString("en-US");
console.log(`
apiscope overview benchmark (${files.summary.params.nodes}-node incident scenario, ${files.summary.metrics.series} series; ${RUNS} cold runs)
  panel states after load:                    ${JSON.stringify(panelStates)}
  cold load → all panels drawn (median / max):  ${fmt(median(loads))} ms / ${fmt(Math.max(...loads))} ms   (target ≤ 2,000 ms)
  JavaScript shipped for the overview (gzip):  ${(js / 1024).toFixed(1)} KB   (target ≤ 400 KB)
  upstream Prometheus requests, one viewer:    ${perView}
  upstream requests, ${VIEWERS} concurrent viewers:   ${concurrent} (${(concurrent / perView).toFixed(2)}× one viewer; target ≤ 1.2×); all drawn in ${fmt(viewersMs)} ms
`);
