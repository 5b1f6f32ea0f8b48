// Execution (text/template/exec.go)

import { equal, evalArgs, index, length, less, sliceOf, urlPath } from "./builtins";
import { ExecError, NoPreview } from "./errors";
import { compareGo, formatValue, sprint, sprintf, sprintln } from "./fmt";
import { FUNCS } from "./functions";
import { humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp, toFloat, toTimeMs } from "./humanize";
import { MAX_OUTPUT, MAX_STEPS } from "./limits";
import { type Cmd, describeTerm, type Node, type Pipe, type Term } from "./parse";
import { goRegexp, htmlEscape, jsEscape, lower, parseDuration, queryEscape, reReplaceAll, splitHostPort, stripDomain, title, upper } from "./strings";
import type { TemplateData } from "./types";
import { bool, float, NIL, str, truth, typeName, type Val } from "./values";

export class BreakSignal {}
export class ContinueSignal {}

interface Scope {
  name: string;
  value: Val;
  /** Set when the value is not known to the preview. */
  opaque?: string;
}

const NO_EXTERNAL_URL = "the external URL cannot be previewed: it is Prometheus' --web.external-url";

export class Exec {
  private out = "";
  private steps = 0;
  private vars: Scope[];

  private readonly data: TemplateData;

  constructor(data: TemplateData) {
    // Prometheus has no empty labels: one set to "" is absent.
    const present = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== ""));
    this.data = { ...data, labels: present(data.labels), externalLabels: present(data.externalLabels ?? {}) };
    data = this.data;
    this.vars = [
      { name: "$", value: { k: "data" } },
      { name: "$labels", value: { k: "map", v: data.labels } },
      { name: "$externalLabels", value: { k: "map", v: data.externalLabels ?? {} } },
      { name: "$externalURL", value: str(data.externalURL ?? ""), ...(data.externalURL === undefined ? { opaque: NO_EXTERNAL_URL } : {}) },
      { name: "$value", value: float(data.value) },
    ];
  }

  run(nodes: Node[]): string {
    this.list(nodes, { k: "data" });
    return this.out;
  }

  private tick() {
    if (++this.steps > MAX_STEPS || this.out.length > MAX_OUTPUT) throw new NoPreview("the expansion is too large to preview");
  }

  private list(nodes: Node[], dot: Val) {
    for (const n of nodes) this.node(n, dot);
  }

  private node(n: Node, dot: Val) {
    this.tick();
    switch (n.t) {
      case "text":
        this.out += n.text;
        return;
      case "action": {
        const v = this.pipe(n.pipe, dot);
        if (n.pipe.decl.length === 0) this.out += this.print(v);
        return;
      }
      case "if":
      case "with": {
        const mark = this.vars.length;
        const v = this.pipe(n.pipe, dot);
        if (truth(v)) this.list(n.list, n.t === "with" ? v : dot);
        else if (n.elseList) this.list(n.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case "range":
        this.range(n, dot);
        return;
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
    }
  }

  private print(v: Val): string {
    if (v.k === "nil") return "<no value>";
    if (v.k === "data") throw new NoPreview("printing the whole alert data cannot be previewed");
    return formatValue(v);
  }

  private range(n: Extract<Node, { t: "if" | "with" | "range" }>, dot: Val) {
    const mark = this.vars.length;
    const decl = n.pipe.decl;
    const v = this.pipe({ ...n.pipe, decl: [] }, dot);
    const items: Array<[Val, Val]> = [];
    if (v.k === "map") for (const k of Object.keys(v.v).sort(compareGo)) items.push([str(k), str(v.v[k]!)]);
    // Ranging over an integer needs Go 1.22; Prometheus 2.x fails on it.
    else if (v.k !== "nil") throw new ExecError(`range can't iterate over ${formatValue(v)}`);
    for (const [key, elem] of items) {
      this.tick();
      const inner = this.vars.length;
      if (decl.length === 1) this.setVar(decl[0]!, elem, n.pipe.isAssign);
      if (decl.length === 2) {
        this.setVar(decl[0]!, key, n.pipe.isAssign);
        this.setVar(decl[1]!, elem, n.pipe.isAssign);
      }
      try {
        this.list(n.list, elem);
      } catch (e) {
        if (e instanceof BreakSignal) {
          this.vars.length = inner;
          break;
        }
        if (!(e instanceof ContinueSignal)) throw e;
      }
      this.vars.length = inner;
    }
    if (items.length === 0 && n.elseList) this.list(n.elseList, dot);
    this.vars.length = mark;
  }

  private setVar(name: string, value: Val, assign: boolean) {
    if (!assign) {
      this.vars.push({ name, value });
      return;
    }
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i] = { name, value };
        return;
      }
    }
    throw new ExecError(`undefined variable: ${name}`);
  }

  private variable(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const scope = this.vars[i]!;
      if (scope.name !== name) continue;
      if (scope.opaque) throw new NoPreview(scope.opaque);
      return scope.value;
    }
    throw new ExecError(`undefined variable: ${name}`);
  }

  private pipe(p: Pipe, dot: Val): Val {
    let v: Val | undefined;
    for (const cmd of p.cmds) v = this.command(cmd, dot, v);
    for (const name of p.decl) this.setVar(name, v!, p.isAssign);
    return v!;
  }

  private command(cmd: Cmd, dot: Val, final: Val | undefined): Val {
    this.tick();
    const [first, ...rest] = cmd.args;
    if (first!.t === "func") return this.call(first!.name, rest, dot, final);
    if (rest.length > 0 || final !== undefined) throw new ExecError(`can't give argument to non-function ${describeTerm(first!)}`);
    return this.arg(first!, dot);
  }

  private arg(t: Term, dot: Val): Val {
    switch (t.t) {
      case "func":
        return this.call(t.name, [], dot, undefined);
      case "dot":
        return dot;
      case "nil":
        return NIL;
      case "bool":
        return bool(t.value);
      case "number":
        return t.value.isInt ? { k: "int", v: t.value.int } : float(t.value.float);
      case "string":
        return str(t.value);
      case "field":
        return this.fields(dot, t.names);
      case "var": {
        const base = this.variable(t.name);
        return this.fields(base, t.names);
      }
      case "pipe":
        // Variables declared in parentheses live on to the end of the enclosing block, as in Go.
        return this.pipe(t.pipe, dot);
      case "chain":
        return this.fields(this.arg(t.node, dot), t.names);
    }
  }

  private fields(base: Val, names: string[]): Val {
    let v = base;
    for (const name of names) {
      if (v.k === "data") {
        if (name === "Labels") v = { k: "map", v: this.data.labels };
        else if (name === "ExternalLabels") v = { k: "map", v: this.data.externalLabels ?? {} };
        else if (name === "Value") v = float(this.data.value);
        else if (name === "ExternalURL") {
          if (this.data.externalURL === undefined) throw new NoPreview(NO_EXTERNAL_URL);
          v = str(this.data.externalURL);
        } else throw new ExecError(`can't evaluate field ${name} in type ${typeName(v)}`);
      } else if (v.k === "map") {
        // missingkey=zero: an absent label is "".
        v = str(Object.hasOwn(v.v, name) ? v.v[name]! : "");
      } else if (v.k === "nil") {
        throw new ExecError(`nil pointer evaluating interface {}.${name}`);
      } else {
        throw new ExecError(`can't evaluate field ${name} in type ${typeName(v)}`);
      }
    }
    return v;
  }

  private call(name: string, argTerms: Term[], dot: Val, final: Val | undefined): Val {
    // and/or evaluate their arguments only as far as needed.
    if (name === "and" || name === "or") {
      const all = [...argTerms.map((t) => () => this.arg(t, dot)), ...(final === undefined ? [] : [() => final])];
      let v: Val = NIL;
      for (const get of all) {
        v = get();
        if (truth(v) !== (name === "and")) return v;
      }
      return v;
    }
    const args = argTerms.map((t) => this.arg(t, dot));
    if (final !== undefined) args.push(final);
    const spec = FUNCS[name]!;
    if (args.length < spec.min || args.length > spec.max) throw new ExecError(`wrong number of args for ${name}: want ${spec.min} got ${args.length}`);
    for (const i of spec.str ?? []) {
      const a = args[i]!;
      if (a.k !== "string") throw new ExecError(`wrong type for value; expected string; got ${typeName(a)}`);
    }
    const s = (i: number) => (args[i] as { v: string }).v;
    switch (name) {
      case "not":
        return bool(!truth(args[0]!));
      case "len":
        return { k: "int", v: BigInt(length(args[0]!)) };
      case "index":
        return index(args[0]!, args.slice(1));
      case "slice":
        return sliceOf(args[0]!, args.slice(1));
      case "print":
        return str(sprint(args));
      case "println":
        return str(sprintln(args));
      case "printf":
        return str(sprintf(s(0), args.slice(1)));
      case "html":
        return str(htmlEscape(evalArgs(args)));
      case "js":
        return str(jsEscape(evalArgs(args)));
      case "urlquery":
        return str(queryEscape(evalArgs(args)));
      case "eq":
        return bool(args.slice(1).some((b) => equal(args[0]!, b, name)));
      case "ne":
        return bool(!equal(args[0]!, args[1]!, name));
      case "lt":
        return bool(less(args[0]!, args[1]!, name));
      case "le":
        return bool(less(args[0]!, args[1]!, name) || equal(args[0]!, args[1]!, name));
      case "gt":
        return bool(!(less(args[0]!, args[1]!, name) || equal(args[0]!, args[1]!, name)));
      case "ge":
        return bool(!less(args[0]!, args[1]!, name));
      case "humanize":
        return str(humanize(toFloat(args[0]!)));
      case "humanize1024":
        return str(humanize1024(toFloat(args[0]!)));
      case "humanizeDuration":
        return str(humanizeDuration(toFloat(args[0]!)));
      case "humanizePercentage":
        return str(humanizePercentage(toFloat(args[0]!)));
      case "humanizeTimestamp":
        return str(humanizeTimestamp(toFloat(args[0]!)));
      case "toTime": {
        const f = toFloat(args[0]!);
        if (!Number.isFinite(f)) throw new ExecError("value is NaN or Inf");
        return { k: "time", ms: toTimeMs(f) };
      }
      case "title":
        return str(title(s(0)));
      case "toUpper":
        return str(upper(s(0)));
      case "toLower":
        return str(lower(s(0)));
      case "match":
        return bool(goRegexp(s(0)).test(s(1)));
      case "reReplaceAll":
        return str(reReplaceAll(s(0), s(1), s(2)));
      case "safeHtml":
        return str(s(0));
      case "stripPort": {
        const split = splitHostPort(s(0));
        return str(split ? split.host : s(0));
      }
      case "stripDomain":
        return str(stripDomain(s(0)));
      case "graphLink":
        return str(`/graph?g0.expr=${queryEscape(s(0))}&g0.tab=0`);
      case "tableLink":
        return str(`/graph?g0.expr=${queryEscape(s(0))}&g0.tab=1`);
      case "parseDuration":
        return float(parseDuration(s(0)));
      case "externalURL":
      case "pathPrefix": {
        const url = this.data.externalURL;
        if (url === undefined) throw new NoPreview(NO_EXTERNAL_URL);
        return str(name === "externalURL" ? url : urlPath(url));
      }
      default:
        // query, first, label, value, strvalue, sortByLabel, args, call, toDuration, now
        throw new NoPreview(`${name} cannot be previewed: it depends on the Prometheus server or the moment of evaluation`);
    }
  }
}
