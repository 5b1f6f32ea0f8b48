import "server-only";
// The store of this server process: one DuckDB database in the configured data directory, opened on first use by
// whichever feature needs it first. Kept on globalThis because Next.js may load a module once per route bundle.
// Opening it starts nothing else (no file followers, no timers): features start their own work.
import { getConfig } from "../config";
import { openStore, type Store } from "./store";

const globalRef = globalThis as typeof globalThis & { __apiscopeStore?: Promise<Store> };

/** The process's store, in the configured data directory (APISCOPE_DATA_DIR) with DuckDB's configured memory limit. */
export function getStore(): Promise<Store> {
  if (!globalRef.__apiscopeStore) {
    const { dataDir, memoryLimitBytes } = getConfig().audit;
    globalRef.__apiscopeStore = openStore({ dataDir, memoryLimitBytes }).catch((err: Error) => {
      globalRef.__apiscopeStore = undefined;
      throw /lock/i.test(err.message)
        ? new Error(`the store in ${dataDir} is in use by another process; give each apiscope process its own APISCOPE_DATA_DIR`)
        : err;
    });
  }
  return globalRef.__apiscopeStore;
}

/**
 * Closes the process's store, if open, and forgets it (the next getStore opens it again). For tests: whatever runs
 * on the store (the audit service) must be closed and forgotten first.
 */
export async function closeStore(): Promise<void> {
  const open = globalRef.__apiscopeStore;
  globalRef.__apiscopeStore = undefined;
  const store = await open?.catch(() => null);
  await store?.close();
}
