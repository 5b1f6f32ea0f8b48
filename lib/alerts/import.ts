// Rules in: a Prometheus rule file, a PrometheusRule, a List of them, a ConfigMap whose values are rule files, or a
// multi-document stream of these, pasted or uploaded, read into the rule model. The text comes from anywhere, so it is
// read under hard limits (size, nesting, documents, rules, aliases) and every rule is checked as Prometheus would
// check it: what Prometheus would refuse is reported and skipped, the rest is kept.
//
// Runs in the browser, on the main thread: no Node APIs, and every step is bounded.
import { syntaxProblem } from "./promql-ast";
import type { AlertingRule, RecordingRule, Rule, RuleGroup } from "./rules";
import { IMPORT_MAX_BYTES, IMPORT_MAX_GROUPS, IMPORT_MAX_RULES } from "./import-limits";
import { isPlainMap, NotYaml, readYaml, Refused, utf8Length, type Budget, type Plain, type PlainMap } from "./import-yaml";

export interface ImportProblem {
  /** The group's name ("#2" when it has none); "" for a problem with a whole document. */
  group: string;
  /** The rule's alert or record name ("#3" when it has none). */
  rule?: string;
  message: string;
  /** 1-based position of the YAML document in the text. */
  document?: number;
}

export interface ImportSource {
  /** 1-based position of the YAML document in the text. */
  document: number;
  /** "RuleFile", "PrometheusRule" or "ConfigMap". */
  kind: string;
  name?: string;
  /** The ConfigMap data key that held the rule file. */
  key?: string;
}

export type ImportResult =
  | { ok: true; groups: RuleGroup[]; sources: ImportSource[]; problems: ImportProblem[] }
  | { ok: false; error: string };


// Prometheus' own checks, with the classic name rules: other parts of this app write names into PromQL unquoted.
const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// model.ParseDuration: units largest first, each at most once, or a bare 0.
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_MS = [31_536_000_000, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
// A Go time.Duration is an int64 of nanoseconds.
const MAX_DURATION_MS = 9_223_372_036_854;

/** A Prometheus duration normalised for the model: "" for none or zero, the text as written otherwise; null if invalid. */
function duration(text: string): string | null {
  if (text === "0") return "";
  const m = DURATION_RE.exec(text);
  if (!m || text === "") return null;
  let ms = 0;
  for (let i = 0; i < DURATION_MS.length; i++) if (m[i + 1]) ms += Number(m[i + 1]) * DURATION_MS[i]!;
  if (ms > MAX_DURATION_MS) return null;
  return ms === 0 ? "" : text;
}

const describe = (v: Plain | undefined): string => (v === undefined ? "missing" : v === null ? "empty" : typeof v === "string" ? "a string" : Array.isArray(v) ? "a list" : "a map");

const RULE_FIELDS = new Set(["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"]);
const GROUP_FIELDS = new Set(["name", "interval", "rules"]);
// Group fields Prometheus, Thanos or the operator know that the model has no place for: dropped with a word.
const GROUP_FIELDS_NOT_KEPT: Record<string, string> = {
  limit: "the limit on alerts or series per evaluation",
  query_offset: "the query offset",
  labels: "the labels added to every rule of the group",
  partial_response_strategy: "Thanos' partial response strategy",
  source_tenants: "Cortex/Mimir source tenants",
};

/** A map of label or annotation names to strings; null means absent. Issues go to `issues`. */
function stringMap(value: Plain | undefined, field: "labels" | "annotations", issues: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  if (!isPlainMap(value)) {
    issues.push(`${field} must be a map of names to strings, not ${describe(value)}`);
    return out;
  }
  for (const [k, v] of value) {
    const what = field === "labels" ? "label" : "annotation";
    if (!LABEL_NAME_RE.test(k)) issues.push(`the ${what} name ${JSON.stringify(k)} is not valid (letters, digits and _, not starting with a digit)`);
    else if (field === "labels" && k === "__name__") issues.push("labels cannot set __name__");
    if (v !== null && typeof v !== "string") issues.push(`${field}.${k} must be a string, not ${describe(v)}`);
    // A null value is the empty string, as Prometheus reads it.
    else Object.defineProperty(out, k, { value: v ?? "", enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function ruleLabel(value: Plain, index: number): string {
  if (isPlainMap(value)) {
    for (const f of ["alert", "record"]) {
      const v = value.get(f);
      if (typeof v === "string" && v !== "") return v;
    }
  }
  return `#${index + 1}`;
}

function readRule(value: Plain): { rule: Rule } | { problem: string } {
  if (!isPlainMap(value)) return { problem: `a rule must be a map with alert or record and expr, not ${describe(value)}` };
  const issues: string[] = [];
  const unknown = [...value.keys()].filter((k) => !RULE_FIELDS.has(k));
  if (unknown.length > 0) issues.push(`unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")} (Prometheus refuses them; check the spelling)`);
  const alert = value.get("alert");
  const record = value.get("record");
  const hasAlert = alert !== undefined && alert !== null;
  const hasRecord = record !== undefined && record !== null;
  if (hasAlert && hasRecord) issues.push("it has both alert and record; a rule is one or the other");
  if (!hasAlert && !hasRecord) issues.push("it has neither alert nor record");
  if (hasAlert && (typeof alert !== "string" || alert === "")) issues.push(`alert must be a non-empty string, not ${describe(alert)}`);
  if (hasRecord && (typeof record !== "string" || !METRIC_NAME_RE.test(record))) {
    issues.push(typeof record === "string" ? `record ${JSON.stringify(record)} is not a valid metric name (letters, digits, _ and :, not starting with a digit)` : `record must be a metric name, not ${describe(record)}`);
  }

  const expr = value.get("expr");
  if (expr === undefined || expr === null) issues.push("expr is missing");
  else if (typeof expr !== "string") issues.push(`expr must be a PromQL string, not ${describe(expr)}`);
  else if (expr.trim() === "") issues.push("expr is empty");
  else {
    const p = syntaxProblem(expr);
    if (p) issues.push(`expr does not parse: ${p.message} (character ${p.from + 1})`);
  }

  const durations: Record<string, string> = {};
  for (const field of ["for", "keep_firing_for"]) {
    const v = value.get(field);
    if (v === undefined || v === null) {
      durations[field] = "";
      continue;
    }
    const d = typeof v === "string" ? duration(v) : null;
    if (d === null) issues.push(`${field} ${typeof v === "string" ? JSON.stringify(v) : describe(v)} is not a Prometheus duration such as 5m or 1h30m`);
    else if (d !== "" && hasRecord && !hasAlert) issues.push(`a recording rule cannot have ${field}`);
    else durations[field] = d;
  }

  const labels = stringMap(value.get("labels"), "labels", issues);
  const annotations = stringMap(value.get("annotations"), "annotations", issues);
  if (hasRecord && !hasAlert && Object.keys(annotations).length > 0) issues.push("a recording rule cannot have annotations");

  if (issues.length > 0) return { problem: issues.join("; ") };
  if (hasAlert) {
    const rule: AlertingRule = { alert: alert as string, expr: expr as string, for: durations.for!, keepFiringFor: durations.keep_firing_for!, labels, annotations };
    return { rule };
  }
  const rule: RecordingRule = { record: record as string, expr: expr as string, labels };
  return { rule };
}

interface Collector {
  budget: Budget;
  groups: RuleGroup[];
  /** Group names over all sources, for renaming clashes between them. */
  names: Set<string>;
  sources: ImportSource[];
  problems: ImportProblem[];
}

/** The groups of one rule file (or PrometheusRule spec): names must be unique within it, as Prometheus requires. */
function readGroups(value: Plain | undefined, where: string, document: number, c: Collector) {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    c.problems.push({ group: "", document, message: `${where}: groups must be a list, not ${describe(value)}` });
    return;
  }
  const inFile = new Set<string>();
  value.forEach((g, gi) => {
    if (++c.budget.groups > IMPORT_MAX_GROUPS) throw new Refused(`it holds more than ${IMPORT_MAX_GROUPS.toLocaleString("en-US")} rule groups`);
    const rawName = isPlainMap(g) ? g.get("name") : undefined;
    const label = typeof rawName === "string" && rawName !== "" ? rawName : `#${gi + 1}`;
    const problem = (message: string, rule?: string) => c.problems.push({ group: label, ...(rule === undefined ? {} : { rule }), message, document });
    if (!isPlainMap(g)) return problem(`a group must be a map with name and rules, not ${describe(g)}; skipped`);
    const rules = g.get("rules");
    if (Array.isArray(rules) && (c.budget.rules += rules.length) > IMPORT_MAX_RULES) throw new Refused(`it holds more than ${IMPORT_MAX_RULES.toLocaleString("en-US")} rules`);
    if (typeof rawName !== "string" || rawName === "") return problem(`the group has no name (${describe(rawName)}); skipped`);
    if (inFile.has(rawName)) return problem(`the group name is repeated in ${where}, which Prometheus refuses; the later group is skipped`);
    inFile.add(rawName);
    const rawInterval = g.get("interval");
    let interval = "";
    if (rawInterval !== undefined && rawInterval !== null) {
      const d = typeof rawInterval === "string" ? duration(rawInterval) : null;
      if (d === null) return problem(`interval ${typeof rawInterval === "string" ? JSON.stringify(rawInterval) : describe(rawInterval)} is not a Prometheus duration such as 30s or 1m; group skipped`);
      interval = d;
    }
    if (rules !== undefined && rules !== null && !Array.isArray(rules)) return problem(`rules must be a list, not ${describe(rules)}; group skipped`);
    for (const k of g.keys()) {
      if (GROUP_FIELDS.has(k)) continue;
      const what = GROUP_FIELDS_NOT_KEPT[k];
      problem(what ? `${k} (${what}) is not kept: the rules are imported without it` : `unknown group field ${JSON.stringify(k)} ignored`);
    }
    const kept: Rule[] = [];
    (rules ?? []).forEach((r, ri) => {
      const read = readRule(r);
      if ("rule" in read) kept.push(read.rule);
      else problem(`${read.problem}; rule skipped`, ruleLabel(r, ri));
    });
    // Different files may reuse a group name; the model is one list that is exported as one file.
    let name = rawName;
    for (let n = 2; c.names.has(name); n++) name = `${rawName}-${n}`;
    if (name !== rawName) problem(`another imported file has a group of this name; renamed to ${JSON.stringify(name)}`);
    c.names.add(name);
    c.groups.push({ name, interval, rules: kept });
  });
}

const str = (v: Plain | undefined): string | undefined => (typeof v === "string" ? v : undefined);

function readRuleFile(doc: PlainMap, where: string, document: number, c: Collector) {
  for (const k of doc.keys()) if (k !== "groups") c.problems.push({ group: "", document, message: `${where}: the field ${JSON.stringify(k)} is not part of a rule file; ignored` });
  readGroups(doc.get("groups"), where, document, c);
}

function readConfigMap(doc: PlainMap, document: number, c: Collector) {
  const meta = doc.get("metadata");
  const name = isPlainMap(meta) ? str(meta.get("name")) : undefined;
  const where = `ConfigMap ${name ?? "(unnamed)"}`;
  const data = doc.get("data");
  const before = c.sources.length;
  if (doc.has("binaryData")) c.problems.push({ group: "", document, message: `${where}: binaryData is not read` });
  if (isPlainMap(data)) {
    for (const [key, value] of data) {
      const skip = (why: string) => c.problems.push({ group: "", document, message: `${where}, key ${JSON.stringify(key)}: ${why}; skipped` });
      if (typeof value !== "string") {
        skip(`the value is ${describe(value)}, not a rule file`);
        continue;
      }
      let docs: Plain[];
      try {
        docs = readYaml(value, c.budget);
      } catch (e) {
        if (e instanceof NotYaml) {
          skip(`not a rule file: ${e.message}`);
          continue;
        }
        throw e;
      }
      const file = docs.length === 1 ? docs[0] : undefined;
      if (!isPlainMap(file) || !file.has("groups") || file.has("kind")) {
        skip("not a rule file (a rule file is one YAML document with groups:)");
        continue;
      }
      c.sources.push({ document, kind: "ConfigMap", ...(name === undefined ? {} : { name }), key });
      readRuleFile(file, `${where}, key ${JSON.stringify(key)}`, document, c);
    }
  }
  if (c.sources.length === before) c.problems.push({ group: "", document, message: `${where} holds no rule file in its data` });
}

function readDocument(doc: Plain, document: number, c: Collector, inList: boolean) {
  const prefix = inList ? `An item of the List in document ${document}` : `Document ${document}`;
  if (doc === null) return;
  if (!isPlainMap(doc)) {
    c.problems.push({ group: "", document, message: `${prefix} is ${describe(doc)}, not a rule file, PrometheusRule, List or ConfigMap; skipped` });
    return;
  }
  const kind = str(doc.get("kind"));
  const apiVersion = str(doc.get("apiVersion"));
  const meta = doc.get("metadata");
  const name = isPlainMap(meta) ? str(meta.get("name")) : undefined;
  if (kind === undefined && apiVersion === undefined && doc.has("groups")) {
    c.sources.push({ document, kind: "RuleFile" });
    readRuleFile(doc, inList ? `${prefix}` : "the rule file", document, c);
  } else if (kind === "PrometheusRule") {
    if (!apiVersion?.startsWith("monitoring.coreos.com/")) {
      c.problems.push({ group: "", document, message: `${prefix}: a PrometheusRule of apiVersion ${JSON.stringify(apiVersion ?? "")}, not monitoring.coreos.com/v1; skipped` });
      return;
    }
    c.sources.push({ document, kind, ...(name === undefined ? {} : { name }) });
    const spec = doc.get("spec");
    if (!isPlainMap(spec) || !spec.has("groups")) {
      c.problems.push({ group: "", document, message: `PrometheusRule ${name ?? "(unnamed)"} has no spec.groups` });
      return;
    }
    readGroups(spec.get("groups"), `PrometheusRule ${name ?? "(unnamed)"}`, document, c);
  } else if ((kind === "List" || kind === "PrometheusRuleList") && !inList) {
    const items = doc.get("items");
    if (!Array.isArray(items)) {
      c.problems.push({ group: "", document, message: `${prefix}: a ${kind} without an items list; skipped` });
      return;
    }
    for (const item of items) readDocument(item, document, c, true);
  } else if (kind === "ConfigMap") {
    readConfigMap(doc, document, c);
  } else if (doc.has("rule_files") || doc.has("tests")) {
    c.problems.push({ group: "", document, message: `${prefix} is a promtool test file, not a rule file; import the rule files it names instead` });
  } else {
    c.problems.push({
      group: "",
      document,
      message: `${prefix}${kind ? ` (${kind}${name ? ` ${name}` : ""})` : ""} is not a rule file (groups:), PrometheusRule, List or ConfigMap; skipped`,
    });
  }
}

/** Reads rules from pasted or uploaded text; see the top of this file for what it accepts. */
export function importRules(text: string): ImportResult {
  if (typeof text !== "string") return { ok: false, error: "Nothing to import: expected text." };
  // File readers keep a byte-order mark.
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  // Each UTF-16 unit is at least one UTF-8 byte, so a long text is refused before it is measured.
  const bytes = body.length > IMPORT_MAX_BYTES ? body.length : utf8Length(body);
  if (bytes > IMPORT_MAX_BYTES) return { ok: false, error: `The text is ${bytes.toLocaleString("en-US")} bytes or more; at most ${IMPORT_MAX_BYTES.toLocaleString("en-US")} (2 MiB) can be imported. Split it into several files.` };
  if (body.trim() === "") return { ok: false, error: "Nothing to import: the text is empty." };
  const c: Collector = {
    budget: { tokens: 0, nodes: 0, chars: 0, aliases: 0, documents: 0, groups: 0, rules: 0 },
    groups: [],
    names: new Set(),
    sources: [],
    problems: [],
  };
  try {
    const docs = readYaml(body, c.budget);
    docs.forEach((doc, i) => readDocument(doc, i + 1, c, false));
  } catch (e) {
    if (e instanceof Refused || e instanceof NotYaml) return { ok: false, error: `Cannot import: ${e.message}.` };
    // The composer's own stack-overflow guard, should the nesting scan ever let one through.
    if (e instanceof RangeError) return { ok: false, error: "Cannot import: the text is nested too deeply." };
    throw e;
  }
  if (c.sources.length === 0) {
    const why = c.problems.map((p) => p.message).slice(0, 3).join(" ");
    return { ok: false, error: `No rules found: expected a rule file (groups:), a PrometheusRule, a List of them or a ConfigMap holding a rule file.${why ? ` ${why}` : ""}` };
  }
  return { ok: true, groups: c.groups, sources: c.sources, problems: c.problems };
}
