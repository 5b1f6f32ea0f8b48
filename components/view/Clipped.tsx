// Text from audit logs (user agents, user names, URIs) as plain text — React escapes it — shortened when long,
// with the whole of it on hover.
import { shorten } from "@/lib/escape";

/** `wrap`: break anywhere (URIs in a narrow column); otherwise the shortened text stays on one line. */
export function Clipped({ text, max = 60, empty = "(none)", wrap = false, className }: { text: string | null; max?: number; empty?: string; wrap?: boolean; className?: string }) {
  if (text === null || text === "") return <span className={`text-slate-400 ${className ?? ""}`}>{empty}</span>;
  return (
    <span title={text.length > max ? text : undefined} className={`${wrap ? "break-all" : "whitespace-nowrap"} ${className ?? ""}`}>
      {shorten(text, max)}
    </span>
  );
}
