// The one refetch policy of the browser's queries: keep the previous answer on screen while the next one loads,
// refetch at the view's auto-refresh interval (or the query's own), and retry a failed query every ERROR_RETRY_MS
// on its own, so it recovers when its source is back.
import { keepPreviousData } from "@tanstack/react-query";
import { parseDuration } from "../duration";
import type { RefreshOption } from "../url-state";

export const ERROR_RETRY_MS = 10_000;

/** The auto-refresh choice of a view in milliseconds; false when off. */
export function refreshMs(refresh: RefreshOption): number | false {
  return refresh === "off" ? false : (parseDuration(refresh) ?? 0) * 1000 || false;
}

/** When to refetch a query refreshed every `everyMs` (false: never on its own): ERROR_RETRY_MS while it fails. */
export function refetchInterval(everyMs: number | false): (query: { state: { status: string } }) => number | false {
  return (query) => (query.state.status === "error" ? ERROR_RETRY_MS : everyMs);
}

/**
 * The options every query hook spreads: the refetch interval above, and the previous answer kept on screen while the
 * next loads — unless it would mislead about the new one (`keepPrevious: false`, e.g. another cluster's instances).
 */
export function refetchPolicy(everyMs: number | false, keepPrevious = true) {
  return { ...(keepPrevious ? { placeholderData: keepPreviousData } : {}), refetchInterval: refetchInterval(everyMs) };
}
