// Benchmark of the alert workbench, printed as numbers:
//   - the backtest of the p99-latency-by-verb template over 24 h of the 300-node scenario at a 30 s evaluation
//     interval: time from opening the draft's link to the timeline drawn (cold server cache), in Debian's Chromium
//     against the production build, and the upstream Prometheus requests it took;
//   - JavaScript shipped (gzip) for the alerts page and, for comparison, the overview page.
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { draftHref } from "../../lib/alerts/draft-link";
import { startApp, type RunningApp } from "../lib/app";
import { startCountingProxy } from "../lib/counting-proxy";
import { freePort } from "../lib/ports";
import { scenarioAppEnv, startScenarioPrometheus } from "../lib/scenario-prometheus";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const t0 = Date.now();
const { files, prometheus } = await startScenarioPrometheus({
  dir: path.resolve(".data/bench-alerts"),
  params: { durationMinutes: 24 * 60, incidentStartMinute: 23 * 60, rolloutMinutes: 10 },
});
console.log(`24 h scenario backfilled in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const proxy = await startCountingProxy(prometheus.url, await freePort());
const appPort = await freePort();
const { startUnixSeconds, endUnixSeconds } = files.summary.window;
const window = new URLSearchParams({ from: String(startUnixSeconds * 1000), to: String(endUnixSeconds * 1000) });
const link = draftHref([{ t: "apiserver-latency-p99" }], window);
const browser = await chromium.launch({ executablePath: process.env.APISCOPE_CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
const freshApp = (): Promise<RunningApp> => startApp({ port: appPort, env: scenarioAppEnv(proxy.url), quiet: true });

async function open(page: Page, url: string, ready: string): Promise<{ ms: number; jsGzipBytes: number }> {
  const scripts: Promise<number>[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.push(r.body().then((b) => gzipSync(b).length, () => 0));
  });
  const start = Date.now();
  await page.goto(url);
  await page.waitForSelector(ready, { timeout: 120_000 });
  const ms = Date.now() - start;
  return { ms, jsGzipBytes: (await Promise.all(scripts)).reduce((a, b) => a + b, 0) };
}

const times: number[] = [];
const answers: number[] = [];
const rethreshold: number[] = [];
let upstream = 0;
let upstreamAfter = 0;
let alertsJs = 0;
let cost = "";
let sentence = "";
for (let i = 0; i < RUNS; i++) {
  const app = await freshApp();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  proxy.reset();
  // The backtest's own answer time: from its request leaving the browser to its answer arriving.
  let asked = 0;
  page.on("request", (req) => {
    if (req.url().endsWith("/api/alerts/backtest") && asked === 0) asked = Date.now();
  });
  const answered = page.waitForResponse((res) => res.url().endsWith("/api/alerts/backtest")).then(() => Date.now() - asked);
  // Drawn: the sentence and the timeline (or its absence, when nothing fired) are on the page.
  const r = await open(page, app.url + link, '[data-testid="backtest"][data-state="ready"]');
  times.push(r.ms);
  const drawnAt = Date.now();
  await answered;
  answers.push(drawnAt - asked);
  upstream = proxy.total();
  cost = (await page.getByTestId("backtest-cost").textContent()) ?? "";
  sentence = (await page.getByTestId("backtest-sentence").textContent()) ?? "";
  // A new threshold: the compared expression's values are already in the gateway's cache.
  const before = sentence;
  const t0 = Date.now();
  await page.getByTestId("param-seconds").fill("5");
  await page.waitForFunction((old) => {
    const el = document.querySelector('[data-testid="backtest"]');
    return el?.getAttribute("data-state") === "ready" && document.querySelector('[data-testid="backtest-sentence"]')?.textContent !== old;
  }, before, { timeout: 60_000 });
  rethreshold.push(Date.now() - t0);
  upstreamAfter = proxy.total();
  await page.getByTestId("param-seconds").fill("1");
  alertsJs = r.jsGzipBytes;
  await context.close();
  await app.stop();
}

const app = await freshApp();
const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
const overview = await open(await context.newPage(), `${app.url}/?${window}`, "[data-panel]");
await context.close();
await app.stop();
await browser.close();
await proxy.close();
await prometheus.stop();

console.log(`Alerts: backtest of the p99 latency by verb template over 24 h at 30 s (${RUNS} cold runs)`);
console.log(`  link opened → timeline drawn (page load, settings, backtest): median ${median(times)} ms, max ${Math.max(...times)} ms`);
console.log(`  backtest asked → timeline drawn (cold server cache): median ${median(answers).toFixed(0)} ms, max ${Math.max(...answers).toFixed(0)} ms (target ≤ 2000 ms)`);
console.log(`  threshold changed → timeline redrawn (includes the 400 ms typing pause): median ${median(rethreshold)} ms, max ${Math.max(...rethreshold)} ms`);
console.log(`  upstream Prometheus requests for the page until drawn: ${upstream}; for the new threshold: ${upstreamAfter - upstream}`);
console.log(`  backtest: ${cost.trim()}`);
console.log(`  verdict: ${sentence.trim()}`);
console.log(`  JS shipped (gzip): alerts page ${(alertsJs / 1024).toFixed(0)} KB, overview page ${(overview.jsGzipBytes / 1024).toFixed(0)} KB (target ≤ 400 KB)`);
