"use client";
import { useServerStatus } from "@/lib/client/hooks";

/** Which Prometheus apiscope reads, and whether it answers. */
export function StatusBadge() {
  const { data, error } = useServerStatus();
  const p = data?.prometheus;
  const ok = p?.reachable === true;
  const text = error ? "apiscope server unreachable" : !p ? "Prometheus…" : ok ? `Prometheus ${p.version ?? ""}` : "Prometheus unreachable";
  return (
    <span
      data-testid="prometheus-status"
      data-reachable={ok ? "true" : "false"}
      title={p ? `${p.url}${p.error ? ` — ${p.error}` : ""}` : undefined}
      className="flex items-center gap-1.5 rounded-full border border-slate-200 px-2 py-0.5 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-300"
    >
      <span className={`size-2 rounded-full ${!p && !error ? "bg-slate-400" : ok ? "bg-emerald-500" : "bg-red-500"}`} />
      {text}
    </span>
  );
}
