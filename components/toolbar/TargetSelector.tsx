"use client";
import { useTargets } from "@/lib/client/hooks";
import type { ViewState } from "@/lib/url-state";

/** Cluster and API server instance pickers, shown only where the series carry those labels. */
export function TargetSelector({ view, onChange }: { view: ViewState; onChange: (v: ViewState) => void }) {
  const { data } = useTargets(view);
  const clusters = data?.clusters ?? [];
  const instances = data?.instances ?? [];
  // Keep a value from the URL selectable even if it is not in this window's list.
  const withCurrent = (list: string[], current: string) => (current && !list.includes(current) ? [current, ...list] : list);
  return (
    <div className="flex items-center gap-1">
      {(clusters.length > 0 || view.cluster) && (
        <select
          aria-label="Cluster"
          value={view.cluster}
          onChange={(e) => onChange({ ...view, cluster: e.target.value, instance: "" })}
          className="toolbar-input max-w-48"
        >
          <option value="">All clusters</option>
          {withCurrent(clusters, view.cluster).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
      {(instances.length > 0 || view.instance) && (
        <select
          aria-label="API server instance"
          value={view.instance}
          onChange={(e) => onChange({ ...view, instance: e.target.value })}
          className="toolbar-input max-w-56"
        >
          <option value="">All API servers ({instances.length})</option>
          {withCurrent(instances, view.instance).map((i) => (
            <option key={i} value={i}>
              {i}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
