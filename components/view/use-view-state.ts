"use client";
// Reads and writes the view state in the URL. History entries are pushed for deliberate changes (time range,
// selectors, filters) so back/forward work, and replaced for minor ones.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import {
  parseSelection,
  parseViewState,
  parseWebhookChoice,
  SELECTION_KEYS,
  serializeSelection,
  serializeViewState,
  serializeWebhookChoice,
  WEBHOOK_KEYS,
  type Selection,
  type ViewState,
  type WebhookChoice,
} from "@/lib/url-state";

const VIEW_KEYS = ["from", "to", "refresh", "cluster", "instance"];

/** The current URL with `keys` replaced by `next`, other parameters kept. */
function withParams(pathname: string, current: URLSearchParams, keys: readonly string[], next: URLSearchParams): string {
  const params = new URLSearchParams(current);
  for (const key of keys) params.delete(key);
  for (const [key, value] of next) params.append(key, value);
  const qs = params.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}

export function viewUrl(pathname: string, current: URLSearchParams, next: ViewState): string {
  return withParams(pathname, current, VIEW_KEYS, serializeViewState(next));
}

type Mode = "push" | "replace";

function useUrlState<T>(parse: (p: URLSearchParams) => T, toUrl: (pathname: string, current: URLSearchParams, next: T) => string): [T, (next: T, mode?: Mode) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const value = useMemo(() => parse(new URLSearchParams(searchParams.toString())), [parse, searchParams]);
  const set = useCallback(
    (next: T, mode: Mode = "push") => {
      const url = toUrl(pathname, new URLSearchParams(window.location.search), next);
      // Native history calls update useSearchParams without a server round trip.
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname, toUrl],
  );
  return [value, set];
}

const selectionUrl = (pathname: string, current: URLSearchParams, next: Selection) => withParams(pathname, current, SELECTION_KEYS, serializeSelection(next));

export function useViewState(): [ViewState, (next: ViewState, mode?: Mode) => void] {
  return useUrlState(parseViewState, viewUrl);
}

/** The audit views' grouping and filters. */
export function useSelection(): [Selection, (next: Selection, mode?: Mode) => void] {
  return useUrlState(parseSelection, selectionUrl);
}

const webhookUrl = (pathname: string, current: URLSearchParams, next: WebhookChoice | null) => withParams(pathname, current, WEBHOOK_KEYS, serializeWebhookChoice(next));

/** The webhook whose detail the webhook view shows. */
export function useWebhookChoice(): [WebhookChoice | null, (next: WebhookChoice | null, mode?: Mode) => void] {
  return useUrlState(parseWebhookChoice, webhookUrl);
}

const prefixed = (prefix: string) => (params: URLSearchParams) => new URLSearchParams([...params].filter(([k]) => k.startsWith(`${prefix}.`)));

/** A form's parameters (`prefix.*`); writing replaces all of them. */
export function usePrefixedParams(prefix: string): [URLSearchParams, (next: URLSearchParams, mode?: Mode) => void] {
  const parse = useMemo(() => prefixed(prefix), [prefix]);
  const toUrl = useCallback(
    (pathname: string, current: URLSearchParams, next: URLSearchParams) => withParams(pathname, current, [...new Set(prefixed(prefix)(current).keys())], next),
    [prefix],
  );
  return useUrlState(parse, toUrl);
}

/** One URL parameter (null when absent); writing null removes it. */
export function useUrlParam(name: string): [string | null, (next: string | null, mode?: Mode) => void] {
  const parse = useCallback((params: URLSearchParams) => params.get(name), [name]);
  const toUrl = useCallback(
    (pathname: string, current: URLSearchParams, next: string | null) => withParams(pathname, current, [name], new URLSearchParams(next === null ? [] : [[name, next]])),
    [name],
  );
  return useUrlState(parse, toUrl);
}
