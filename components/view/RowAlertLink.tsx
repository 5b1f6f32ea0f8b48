"use client";
// "Alert on this" on a table row: opens the alert workbench without choosing the row.
import Link from "next/link";

export function RowAlertLink({ href }: { href: string }) {
  return (
    <Link
      href={href}
      prefetch={false}
      onClick={(e) => e.stopPropagation()}
      className="ml-2 text-xs font-normal text-sky-700 hover:underline dark:text-sky-300"
      data-testid="row-alert"
      title="Draft alerting rules on this row, backtested over this window"
    >
      Alert on this
    </Link>
  );
}
