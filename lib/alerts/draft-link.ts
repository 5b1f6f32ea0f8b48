// Links that open the alert workbench on a draft ("Alert on this"). Kept apart from the draft model and the
// template library, so the pages that link here do not carry the workbench's code.
import type { Severity } from "./rules";

/** The URL parameter holding the draft. */
export const DRAFT_PARAM = "draft";

/** The per-client templates "Alert on this" drafts for a client (lib/alerts/templates/clients.ts). */
export const CLIENT_TEMPLATE_IDS = ["client-request-rate", "client-share", "client-throttled", "client-lists-without-rv0"] as const;

/** The webhook templates a webhook row drafts, for that webhook (lib/alerts/templates/webhooks.ts). */
export const WEBHOOK_TEMPLATE_IDS = ["webhook-latency-near-timeout", "webhook-rejections", "webhook-calling-errors"] as const;
/** The APF templates a priority-level row drafts, for that level (lib/alerts/templates/apf.ts). */
export const LEVEL_TEMPLATE_IDS = ["apf-rejections", "apf-queue-wait-p99", "apf-seats-near-limit"] as const;

/** What a link may put in a draft: a template with parameters, or a hand-written rule. */
export interface DraftLinkRule {
  t?: string;
  p?: Record<string, string | number>;
  name?: string;
  expr?: string;
  for?: string;
  sev?: Severity;
}

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** An alert name from a panel's title: "Request rate by code" → "RequestRateByCode". */
export function alertNameFrom(title: string): string {
  const name = title
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  return /^[A-Za-z]/.test(name) ? name : `Alert${name}`;
}

/** /alerts with a draft of these rules, over the window of `view` (its from/to parameters). */
export function draftHref(rules: readonly DraftLinkRule[], view: URLSearchParams): string {
  const params = new URLSearchParams();
  for (const key of ["from", "to"]) {
    const v = view.get(key);
    if (v !== null) params.set(key, v);
  }
  params.set(DRAFT_PARAM, toBase64Url(JSON.stringify({ rules })));
  return `/alerts?${params}`;
}
