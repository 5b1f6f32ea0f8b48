import type { ChildProcess } from "node:child_process";

/** Tracks whether a child process has exited, and stops it (SIGTERM) when asked, resolving once it is gone. */
export function supervise(child: ChildProcess): { exited(): boolean; stop(): Promise<void> } {
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  return {
    exited: () => exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
