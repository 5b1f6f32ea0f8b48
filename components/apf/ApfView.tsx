"use client";
// API Priority and Fairness: how each priority level copes, and a throttle for the client that floods one.
// Window and chosen client live in the URL, so a shared link reopens the same throttle.
import { ThrottleBuilder } from "@/components/apf/ThrottleBuilder";
import { CopyLinkButton } from "@/components/toolbar/CopyLinkButton";
import { RefreshPicker } from "@/components/toolbar/RefreshPicker";
import { TimeRangePicker } from "@/components/toolbar/TimeRangePicker";
import { useSelection, useViewState } from "@/components/view/use-view-state";
import { useMemo } from "react";
import { DEFAULT_SELECTION, type Selection } from "@/lib/url-state";

export function ApfView() {
  const [view, setView] = useViewState();
  const [selection, setSelection] = useSelection();
  const client = selection.filters.client?.[0];
  // Only the client matters here: the subjects are resolved from all of its traffic.
  const only = useMemo<Selection>(() => ({ ...DEFAULT_SELECTION, filters: client === undefined ? {} : { client: [client] } }), [client]);
  const onClient = (next: string | null) => setSelection({ ...DEFAULT_SELECTION, filters: next === null ? {} : { client: [next] } });
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-lg font-semibold">API Priority and Fairness</h1>
        <TimeRangePicker range={view.range} onChange={(range) => setView({ ...view, range })} />
        <RefreshPicker value={view.refresh} onChange={(refresh) => setView({ ...view, refresh }, "replace")} />
        <CopyLinkButton view={view} />
      </div>
      <ThrottleBuilder view={view} selection={only} onClient={onClient} />
    </div>
  );
}
