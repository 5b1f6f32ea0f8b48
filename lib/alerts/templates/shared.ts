// What every template of the library shares: reading and checking its parameters, choosing metric names from what
// the connected Prometheus has, and the common parameter specs. User-supplied matchers and label values reach PromQL
// only re-written from their parsed form (lib/promql), never as typed.
import { parseDuration } from "../../duration";
import { formatMatchers, parseMatchers, quoteLabelValue, type LabelMatcher } from "../../promql";
import type { RecordingRule } from "../rules";
import type { AlertTemplate, ParamSpec, ParamValues, TemplateBuild, TemplateContext } from "./types";

/** The Kubernetes versions of the kube-apiserver dumps (test/fixtures/nri-kubernetes). */
export const ALL_VERSIONS = ["1.17", "1.22", "1.27", "1.31", "1.34"];
/** Versions whose dumps carry the APF families (beta and on by default since 1.20). */
export const APF_VERSIONS = ["1.22", "1.27", "1.31", "1.34"];

/** Why `value` is not a valid value of `spec`, or null. */
export function checkParam(spec: ParamSpec, value: number | string | undefined): string | null {
  const name = `${spec.key} (${spec.label})`;
  switch (spec.kind) {
    case "number": {
      const n = toNumber(value);
      if (n === null) return `${name} must be a finite number`;
      if (spec.min !== undefined && n < spec.min) return `${name} must be at least ${spec.min}`;
      if (spec.max !== undefined && n > spec.max) return `${name} must be at most ${spec.max}`;
      return null;
    }
    case "duration":
      return typeof value === "string" && parseDuration(value) !== null ? null : `${name} must be a Prometheus duration such as 5m or 1h30m`;
    case "matchers": {
      if (typeof value !== "string") return `${name} must be label matchers such as job="apiserver"`;
      const parsed = parseMatchers(value);
      return typeof parsed === "string" ? `${name}: ${parsed}` : null;
    }
    case "labelValue":
      return typeof value === "string" ? null : `${name} must be text`;
  }
}

function toNumber(value: number | string | undefined): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** A template's parameter values, defaults filled in, each checked as it is read. */
export class Values {
  constructor(
    private readonly specs: readonly ParamSpec[],
    private readonly given: ParamValues,
  ) {}

  private raw(key: string): { spec: ParamSpec; value: number | string } {
    const spec = this.specs.find((s) => s.key === key);
    if (!spec) throw new Error(`no parameter ${key}`);
    const value = this.given[key] ?? spec.default;
    const problem = checkParam(spec, value);
    if (problem) throw new RangeError(problem);
    return { spec, value };
  }

  num(key: string): number {
    return toNumber(this.raw(key).value)!;
  }

  /** The number as a PromQL literal. */
  lit(key: string): string {
    return String(this.num(key));
  }

  dur(key: string): string {
    return this.raw(key).value as string;
  }

  seconds(key: string): number {
    return parseDuration(this.dur(key))!;
  }

  /** The matchers re-written from their parsed form (no braces), "" for none. */
  matchers(key = "selector"): string {
    return formatMatchers(parseMatchers(this.raw(key).value as string) as LabelMatcher[]);
  }

  /** A label value as given ("" for none). */
  text(key: string): string {
    return this.raw(key).value as string;
  }

  /** `name=<escaped value>`, or "" when the value is empty. */
  equals(key: string, label: string): string {
    const value = this.text(key);
    return value === "" ? "" : `${label}=${quoteLabelValue(value)}`;
  }
}

/** Metric names chosen from what the connected Prometheus has; what it lacks is collected as missing. */
export class Names {
  readonly missing: string[] = [];
  constructor(private readonly names: ReadonlySet<string> | null) {}

  /** Whether the name is there; every name is when the names are unknown. */
  has(name: string): boolean {
    return this.names === null || this.names.has(name);
  }

  /** Whether some name starts with `prefix` (true when the names are unknown). */
  hasPrefix(prefix: string): boolean {
    return this.names === null || [...this.names].some((n) => n.startsWith(prefix));
  }

  /** The first alternative present (the first, newest, one when unknown); all of them are missing when none is. */
  pick(...alternatives: string[]): string {
    const found = alternatives.find((a) => this.has(a));
    if (found) return found;
    this.missing.push(alternatives.join(" or "));
    return alternatives[0]!;
  }

  /**
   * A counter with labels, which Prometheus sees only after its first increment: usable when it or one of the
   * families always exposed next to it is there, so an alert can be set up before the first event.
   */
  eventual(counter: string, ...witnesses: string[]): string {
    if (![counter, ...witnesses].some((n) => this.has(n))) this.missing.push([counter, ...witnesses].join(" or "));
    return counter;
  }
}

export type Made = string | { expr: string; records: RecordingRule[] };

export interface TemplateDef extends Omit<AlertTemplate, "build"> {
  make(v: Values, names: Names, ctx: TemplateContext): Made;
}

/** An AlertTemplate whose build checks its parameters and reports the metrics this Prometheus lacks. */
export function define(def: TemplateDef): AlertTemplate {
  const { make, ...rest } = def;
  return {
    ...rest,
    build(params: ParamValues, ctx: TemplateContext): TemplateBuild {
      const names = new Names(ctx.names);
      const made = make(new Values(def.params, params), names, ctx);
      if (names.missing.length > 0) return { ok: false, missing: [...new Set(names.missing)] };
      return typeof made === "string" ? { ok: true, expr: made, records: [] } : { ok: true, ...made };
    },
  };
}

/** `metric{extra…,matchers}` with empty parts left out. */
export function sel(metric: string, matchers: string, ...extra: string[]): string {
  const inner = [...extra, matchers].filter(Boolean).join(",");
  return inner ? `${metric}{${inner}}` : metric;
}

// Parameter specs used by many templates.
export const selectorParam = (help: string, def = ""): ParamSpec => ({ key: "selector", label: "Series selector", kind: "matchers", default: def, help });
export const windowParam = (def: string, help = "The rate window."): ParamSpec => ({ key: "window", label: "Window", kind: "duration", default: def, help });
export const ratioParam = (key: string, label: string, def: number, help?: string): ParamSpec => ({ key, label, kind: "number", default: def, unit: "ratio", min: 0, max: 1, ...(help ? { help } : {}) });
export const numberParam = (key: string, label: string, def: number, unit: ParamSpec["unit"], help?: string): ParamSpec => ({ key, label, kind: "number", default: def, unit, min: 0, ...(help ? { help } : {}) });

/** One webhook or priority level (a row's "Alert on this"); empty for all of them. */
export const WEBHOOK_PARAM: ParamSpec = { key: "webhook", label: "Webhook", kind: "labelValue", default: "", help: "The webhook's name as the metrics label it; empty for every webhook." };
export const LEVEL_PARAM: ParamSpec = { key: "priorityLevel", label: "Priority level", kind: "labelValue", default: "", help: "One priority level; empty for every level." };

export const APISERVER_SELECTOR_HELP = "Matchers selecting the kube-apiserver series, e.g. job=\"apiserver\"; empty for all.";
