// Reads Prometheus' own query log: the ground truth of what apiscope asked upstream.
import { existsSync, readFileSync } from "node:fs";

export interface LoggedQuery {
  query: string;
  start?: string;
  end?: string;
  step?: number;
}

export function loggedQueries(path: string): LoggedQuery[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { params: LoggedQuery }).params);
}
