// Starts the production build of apiscope (`npm start`) as a child process.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { supervise } from "./child";
import { waitFor } from "./ports";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface RunningApp {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startApp(options: { port: number; env: Record<string, string>; quiet?: boolean }): Promise<RunningApp> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, APISCOPE_LISTEN: `127.0.0.1:${options.port}`, NODE_ENV: "production", ...options.env },
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"],
  });
  const life = supervise(child);
  const url = `http://127.0.0.1:${options.port}`;
  await waitFor(async () => {
    if (life.exited()) throw new Error("apiscope exited during start (see its output above)");
    return (await fetch(`${url}/api/status`)).ok;
  }, `apiscope on ${url}`);
  return { url, process: child, stop: life.stop };
}
