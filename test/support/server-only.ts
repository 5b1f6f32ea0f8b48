// Stands in for the `server-only` build guard under vitest, where there is no client bundle to protect.
export {};
