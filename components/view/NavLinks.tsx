"use client";
// The pages, each linked with the view in the URL (time window, cluster, instance, refresh), so moving from the
// overview of an incident to its load or APF keeps the incident's window.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { parseViewState, serializeViewState } from "@/lib/url-state";

export const PAGES = [
  { path: "/", label: "Overview" },
  { path: "/load", label: "Load" },
  { path: "/webhooks", label: "Webhooks" },
  { path: "/apf", label: "APF" },
  { path: "/alerts", label: "Alerts" },
  { path: "/audit", label: "Audit logs" },
] as const;

const LINK = "hover:text-sky-600 dark:hover:text-sky-400";

/** Links without the view: what the server renders before the URL is read. */
export function PlainNavLinks() {
  return PAGES.map((p) => (
    <Link key={p.path} href={p.path} prefetch={false} className={LINK}>
      {p.label}
    </Link>
  ));
}

export function NavLinks() {
  const query = serializeViewState(parseViewState(new URLSearchParams(useSearchParams().toString()))).toString();
  return PAGES.map((p) => (
    <Link key={p.path} href={query ? `${p.path}?${query}` : p.path} prefetch={false} className={LINK} data-testid={`nav-${p.label.toLowerCase().replace(" ", "-")}`}>
      {p.label}
    </Link>
  ));
}
