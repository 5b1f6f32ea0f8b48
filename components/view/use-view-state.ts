"use client";
// Reads and writes the view state in the URL. History entries are pushed for deliberate changes (time range,
// selectors) so back/forward work, and replaced for minor ones.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseViewState, serializeViewState, type ViewState } from "@/lib/url-state";

const MANAGED_KEYS = ["from", "to", "refresh", "cluster", "instance"];

export function viewUrl(pathname: string, current: URLSearchParams, next: ViewState): string {
  const params = new URLSearchParams(current);
  for (const key of MANAGED_KEYS) params.delete(key);
  for (const [key, value] of serializeViewState(next)) params.set(key, value);
  const qs = params.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

export function useViewState(): [ViewState, (next: ViewState, mode?: "push" | "replace") => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const view = useMemo(() => parseViewState(new URLSearchParams(searchParams.toString())), [searchParams]);
  const setView = useCallback(
    (next: ViewState, mode: "push" | "replace" = "push") => {
      const url = viewUrl(pathname, new URLSearchParams(window.location.search), next);
      // Native history calls update useSearchParams without a server round trip.
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );
  return [view, setView];
}
