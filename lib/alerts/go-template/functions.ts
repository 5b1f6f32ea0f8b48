// Functions: Go's builtins and Prometheus'. min/max count arguments (a piped value included); `str` marks
// parameters declared as string in Go, which refuse numbers and other types at execution.

import { fail } from "./errors";

interface FuncSpec {
  min: number;
  max: number;
  str?: number[];
}

const V = Infinity;
export const FUNCS: Record<string, FuncSpec> = {
  // text/template builtins
  and: { min: 1, max: V },
  or: { min: 1, max: V },
  not: { min: 1, max: 1 },
  len: { min: 1, max: 1 },
  index: { min: 1, max: V },
  slice: { min: 1, max: 4 },
  print: { min: 0, max: V },
  printf: { min: 1, max: V, str: [0] },
  println: { min: 0, max: V },
  eq: { min: 2, max: V },
  ne: { min: 2, max: 2 },
  lt: { min: 2, max: 2 },
  le: { min: 2, max: 2 },
  gt: { min: 2, max: 2 },
  ge: { min: 2, max: 2 },
  html: { min: 0, max: V },
  js: { min: 0, max: V },
  urlquery: { min: 0, max: V },
  call: { min: 1, max: V },
  // Prometheus (template/template.go)
  humanize: { min: 1, max: 1 },
  humanize1024: { min: 1, max: 1 },
  humanizeDuration: { min: 1, max: 1 },
  humanizePercentage: { min: 1, max: 1 },
  humanizeTimestamp: { min: 1, max: 1 },
  toTime: { min: 1, max: 1 },
  title: { min: 1, max: 1, str: [0] },
  toUpper: { min: 1, max: 1, str: [0] },
  toLower: { min: 1, max: 1, str: [0] },
  match: { min: 2, max: 2, str: [0, 1] },
  reReplaceAll: { min: 3, max: 3, str: [0, 1, 2] },
  safeHtml: { min: 1, max: 1, str: [0] },
  label: { min: 2, max: 2, str: [0] },
  value: { min: 1, max: 1 },
  first: { min: 1, max: 1 },
  sortByLabel: { min: 2, max: 2, str: [0] },
  strvalue: { min: 1, max: 1 },
  stripPort: { min: 1, max: 1, str: [0] },
  stripDomain: { min: 1, max: 1, str: [0] },
  graphLink: { min: 1, max: 1, str: [0] },
  tableLink: { min: 1, max: 1, str: [0] },
  pathPrefix: { min: 0, max: 0 },
  externalURL: { min: 0, max: 0 },
  args: { min: 0, max: V },
  query: { min: 1, max: 1, str: [0] },
  parseDuration: { min: 1, max: 1, str: [0] },
};

/** Names that are functions elsewhere but not in rule templates, with why. */
export const NOT_IN_RULES: Record<string, string> = {
  tmpl: "tmpl exists only in console templates, not in rule annotations",
  // Prometheus 3 added these; a 2.x server refuses the whole rule file over them.
  now: "now needs Prometheus 3; a Prometheus 2 server refuses the rule file",
  toDuration: "toDuration needs Prometheus 3; a Prometheus 2 server refuses the rule file",
};

export const DATA_FIELDS = ["Labels", "ExternalLabels", "ExternalURL", "Value"] as const;
export const PREDEFINED = ["$", "$labels", "$value", "$externalLabels", "$externalURL"];

export function checkArity(name: string, n: number, pos: number) {
  const spec = FUNCS[name]!;
  if (n < spec.min || n > spec.max) {
    const want = spec.min === spec.max ? `${spec.min}` : spec.max === V ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
    fail(`wrong number of arguments for ${name}: want ${want}, got ${n}`, pos);
  }
}
