// How much audit input a file holds, counted from the formats' definitions with jq and JSON.parse, sharing no code
// with apiscope, so that its accounting can be checked against it:
//  - lines read: the lines of the file that are not blank (whitespace only);
//  - values read: its top-level JSON values (as `jq -c .` reads them), or, when the file is not a sequence of JSON
//    values (a damaged line), each line that is not blank;
//  - events read: what those values hold, unwrapped from their lists — JSON arrays, EventLists' items, AKS exports'
//    records, AKS records' properties.log (a JSON string or an object). Whatever is not such a list counts as one
//    event (an audit event, or something to skip: a number, a GKE record, a line that is not JSON), and so does a
//    list without elements (it is input too: `[]` must not vanish).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export interface InputCount {
  lines: number;
  values: number;
  events: number;
  /** Whether every line that is not blank holds exactly one event (then lines read = events read). */
  oneEventPerLine: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Events in one JSON value, per the definition above. */
export function eventsIn(value: unknown): number {
  const list = (items: unknown[]) => (items.length === 0 ? 1 : items.reduce<number>((n, item) => n + eventsIn(item), 0));
  if (Array.isArray(value)) return list(value);
  if (!isObject(value)) return 1;
  if (Array.isArray(value.items) && (value.kind === "EventList" || typeof value.apiVersion === "string")) return list(value.items);
  if (Array.isArray(value.records)) return list(value.records);
  if (isObject(value.properties) && "log" in value.properties) {
    const log = value.properties.log;
    if (typeof log !== "string") return eventsIn(log);
    try {
      return eventsIn(JSON.parse(log));
    } catch {
      return 1;
    }
  }
  return 1;
}

function lineEvents(line: string): number {
  try {
    return eventsIn(JSON.parse(line));
  } catch {
    return 1;
  }
}

/** Counts a file (gzip-compressed or not). */
export function countInput(file: string): InputCount {
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const perLine = lines.map(lineEvents);
  const jq = spawnSync("jq", ["-c", "."], { input: text, encoding: "utf8", maxBuffer: 1 << 30 });
  const values = jq.status === 0 ? jq.stdout.split("\n").filter(Boolean).map((v) => JSON.parse(v) as unknown) : null;
  return {
    lines: lines.length,
    values: values?.length ?? lines.length,
    events: values ? values.reduce<number>((n, v) => n + eventsIn(v), 0) : perLine.reduce((a, b) => a + b, 0),
    oneEventPerLine: perLine.every((n) => n === 1) && (values === null || values.length === lines.length),
  };
}
