"use client";
import { useIsFetching, useQueryClient } from "@tanstack/react-query";
import { RefreshIcon } from "@/components/view/icons";
import { queryKeys } from "@/lib/client/keys";
import { REFRESH_OPTIONS, type RefreshOption } from "@/lib/url-state";

export function RefreshPicker({ value, onChange }: { value: RefreshOption; onChange: (v: RefreshOption) => void }) {
  const client = useQueryClient();
  const fetching = useIsFetching({ queryKey: queryKeys.panels() }) > 0;
  return (
    <div className="flex items-center gap-1">
      <button
        type="button"
        title="Refresh now"
        aria-label="Refresh now"
        onClick={() => void client.invalidateQueries({ queryKey: queryKeys.panels() })}
        className="toolbar-button"
      >
        <RefreshIcon spinning={fetching} />
      </button>
      <select
        aria-label="Auto-refresh"
        value={value}
        onChange={(e) => onChange(e.target.value as RefreshOption)}
        className="toolbar-input"
      >
        {REFRESH_OPTIONS.map((o) => (
          <option key={o} value={o}>
            {o === "off" ? "Auto-refresh off" : `Every ${o}`}
          </option>
        ))}
      </select>
    </div>
  );
}
