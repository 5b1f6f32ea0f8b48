#!/usr/bin/env node
// `npm start`: serves the production build on APISCOPE_LISTEN (host:port, default 127.0.0.1:3000).
// Every other setting is validated by the server itself at start (lib/config.ts).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const listen = process.env.APISCOPE_LISTEN ?? "127.0.0.1:3000";
const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(listen);
if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
  console.error(`Invalid apiscope configuration:\n  - APISCOPE_LISTEN must be host:port such as 127.0.0.1:3000 or 0.0.0.0:8080 (got "${listen}")`);
  process.exit(1);
}
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
// No Next.js telemetry: apiscope runs in locked-down clusters and must not phone home.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const child = spawn(process.execPath, [nextBin, "start", "-H", m[1].replace(/^\[|\]$/g, ""), "-p", m[2]], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
