// The fan-out of one request shape in words: "700 sources × LIST pods cluster-wide every 10 s".
import type { FanoutRow } from "../audit/answers";
import { formatSeconds } from "../format";

const SCOPE_WORDS: Record<string, string> = { cluster: "cluster-wide", namespace: "in a namespace", resource: "by name" };

export function describeShape(row: Pick<FanoutRow, "sources" | "verb" | "resource" | "scope" | "intervalSeconds">): string {
  const who = `${row.sources.toLocaleString("en-US")} ${row.sources === 1 ? "source" : "sources"}`;
  const what = [row.verb.toUpperCase(), row.resource, SCOPE_WORDS[row.scope] ?? ""].filter(Boolean).join(" ");
  const every = row.intervalSeconds === null ? "once each" : `every ${formatSeconds(row.intervalSeconds)}`;
  return `${who} × ${what} ${every}`;
}
