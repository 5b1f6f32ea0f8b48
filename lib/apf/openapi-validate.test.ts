import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { BOOTSTRAP_FLOW_SCHEMAS, BOOTSTRAP_PRIORITY_LEVELS } from "./bootstrap";
import { annotationValue, CULPRIT_ANNOTATION, throttlePlan, type SubjectRef, type ThrottleInput } from "./generate";
import { isDns1123Subdomain } from "../export/names";
import { validateAgainstSchema, type SchemaMap } from "../export/openapi-validate";

const spec = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "../../test/fixtures/apf/apis__flowcontrol.apiserver.k8s.io__v1_openapi.json"), "utf8"),
) as { components: { schemas: SchemaMap } };
const schemas = spec.components.schemas;
const FS = "io.k8s.api.flowcontrol.v1.FlowSchema";
const PLC = "io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration";
const validate = (name: string, value: unknown) => validateAgainstSchema(schemas, name, value);
const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => ("toJS" in d ? d.toJS() : null));

const sa: SubjectRef = { kind: "ServiceAccount", namespace: "monitoring", name: "telemetry-agent" };
const base: ThrottleInput = {
  culprit: "telemetry-agent/v2.3.1",
  subjects: [sa],
  verbs: ["list", "watch"],
  resources: [{ apiGroup: "", resource: "pods" }],
  namespaces: "*",
  clusterScope: true,
  currentSchemas: [{ name: "service-accounts", matchingPrecedence: 9000 }],
};

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  'a"b\nc: d # e',
  "x".repeat(10_000),
  "yes",
  "no",
  "on",
  "off",
  "0123",
  "1e3",
  "0x1F",
  ".inf",
  "~",
  "null",
  "true",
  "",
  " ",
  " leading and trailing ",
  "- item",
  "? key",
  "&anchor *alias !tag |>%@ `tick`",
  "{a: b, c: [d]}",
  "[1, 2]",
  "---\n...\n--- ",
  "key: value\n  nested: true",
  "tab\there\r\nwindows",
  "\u0000nul\u0007bell\u001bescape\u007fdel",
  "\u0085nel\u2028ls\u2029ps\ufeffbom\u00a0nbsp",
  "\u202eevil\u202c right-to-left",
  "エージェント/1.0",
  "Grüße 😀 agent",
  "'single' \"double\" \\back\\slash",
  "#!/bin/sh; rm -rf / $(reboot) `id`",
];

interface Case {
  label: string;
  input: ThrottleInput;
}
const cases: Case[] = [
  { label: "service account, cluster-wide", input: base },
  { label: "service account, namespaced", input: { ...base, namespaces: ["monitoring", "default"], clusterScope: false } },
  {
    label: "user, cluster-scoped only",
    input: { ...base, subjects: [{ kind: "User", name: "jenkins" }], namespaces: [], clusterScope: true },
  },
  { label: "group, Reject", input: { ...base, subjects: [{ kind: "Group", name: "ci-runners" }], mode: "Reject" } },
  {
    label: "collateral: several subjects and API groups",
    input: {
      ...base,
      subjects: [
        sa,
        { kind: "User", name: "jenkins" },
        { kind: "Group", name: "ci-runners" },
        { kind: "ServiceAccount", namespace: "ci", name: "*" },
      ],
      resources: [
        { apiGroup: "", resource: "pods" },
        { apiGroup: "", resource: "pods/log" },
        { apiGroup: "apps", resource: "deployments" },
        { apiGroup: "batch", resource: "jobs" },
      ],
      verbs: ["*"],
      queuing: { queues: 64, handSize: 8, queueLengthLimit: 1000 },
      shares: 1,
    },
  },
  ...HOSTILE.map((culprit, i) => ({ label: `hostile culprit #${i}`, input: { ...base, culprit } })),
  ...HOSTILE.map((name, i) => ({
    label: `hostile subject #${i}`,
    input: {
      ...base,
      culprit: name,
      subjects: [
        { kind: "User", name: name || "u" },
        { kind: "Group", name: name || "g" },
      ] as SubjectRef[],
    },
  })),
];

describe("generated objects against the v1 OpenAPI schema", () => {
  it.each(cases)("$label: valid v1 objects that round-trip through YAML", ({ input }) => {
    const plan = throttlePlan(input);
    expect(validate(PLC, plan.priorityLevel)).toEqual([]);
    expect(validate(FS, plan.flowSchema)).toEqual([]);
    expect(isDns1123Subdomain(plan.name)).toBe(true);
    expect(docs(plan.yaml)).toEqual([plan.priorityLevel, plan.flowSchema]);
    // Nothing outside printable ASCII reaches the manifest raw.
    expect(plan.yaml).toMatch(/^[\x20-\x7e\n]*$/);
    const annotation = plan.flowSchema.metadata.annotations[CULPRIT_ANNOTATION]!;
    expect(annotation).toBe(annotationValue(input.culprit));
    // The display string is kept as it is unless it holds control or bidi characters or runs long.
    if ([...input.culprit].length <= 1024 && !/[\p{Cc}\u202a-\u202e]/u.test(input.culprit.replace(/[\t\n]/g, ""))) {
      expect(annotation).toBe(input.culprit);
    }
    if ([...input.culprit].length > 1024) expect([...annotation]).toHaveLength(1024);
  });

  it.each(cases.filter((_, i) => i < 8))("$label: v1beta3 has the same fields under its own apiVersion", ({ input }) => {
    const plan = throttlePlan({ ...input, apiVersion: "v1beta3" });
    for (const [name, obj] of [
      [PLC, plan.priorityLevel],
      [FS, plan.flowSchema],
    ] as const) {
      expect(obj.apiVersion).toBe("flowcontrol.apiserver.k8s.io/v1beta3");
      expect(validate(name, { ...obj, apiVersion: "flowcontrol.apiserver.k8s.io/v1" })).toEqual([]);
    }
    const fields = ["nominalConcurrencyShares", "lendablePercent", "borrowingLimitPercent", "limitResponse"];
    expect(Object.keys(plan.priorityLevel.spec.limited)).toEqual(fields);
    expect(docs(plan.yaml)).toEqual([plan.priorityLevel, plan.flowSchema]);
  });

  it("keeps lone surrogates, control characters and bidi overrides out of the annotation", () => {
    const plan = throttlePlan({ ...base, culprit: "bad\uD800half \u001b[2J\u202eevil\r\n\tok 😀" });
    expect(plan.flowSchema.metadata.annotations[CULPRIT_ANNOTATION]).toBe("bad\uFFFDhalf \uFFFD[2J\uFFFDevil\uFFFD\n\tok 😀");
    expect(docs(plan.yaml)).toEqual([plan.priorityLevel, plan.flowSchema]);
  });
});

describe("the default objects against the v1 OpenAPI schema", () => {
  it("validate when written out as v1 objects", () => {
    const apiVersion = "flowcontrol.apiserver.k8s.io/v1";
    for (const l of BOOTSTRAP_PRIORITY_LEVELS) {
      const commons = { nominalConcurrencyShares: l.nominalConcurrencyShares, lendablePercent: l.lendablePercent };
      const body = l.type === "Exempt" ? { exempt: commons } : { limited: { ...commons, limitResponse: l.limitResponse } };
      const plc = { apiVersion, kind: "PriorityLevelConfiguration", metadata: { name: l.name }, spec: { type: l.type, ...body } };
      expect(validate(PLC, plc), l.name).toEqual([]);
    }
    for (const s of BOOTSTRAP_FLOW_SCHEMAS) {
      const fs = {
        apiVersion,
        kind: "FlowSchema",
        metadata: { name: s.name, annotations: { "apf.kubernetes.io/autoupdate-spec": "true" } },
        spec: {
          priorityLevelConfiguration: { name: s.priorityLevel },
          matchingPrecedence: s.matchingPrecedence,
          ...(s.distinguisher ? { distinguisherMethod: { type: s.distinguisher } } : {}),
          rules: s.rules,
        },
      };
      expect(validate(FS, fs), s.name).toEqual([]);
    }
  });
});

describe("the validator", () => {
  const plan = throttlePlan(base);
  const edit = <T,>(value: T, change: (copy: T) => void): T => {
    const copy = structuredClone(value);
    change(copy);
    return copy;
  };

  it("rejects unknown fields, as kubectl --validate=strict does", () => {
    const old = edit(plan.priorityLevel, (p) => Object.assign(p.spec.limited, { assuredConcurrencyShares: 5 }));
    expect(validate(PLC, old)).toEqual(["spec.limited.assuredConcurrencyShares: unknown field"]);
    const typo = edit(plan.flowSchema, (f) => Object.assign(f.spec, { matchingPrecedance: 5 }));
    expect(validate(FS, typo)).toEqual(["spec.matchingPrecedance: unknown field"]);
    const meta = edit(plan.flowSchema, (f) => Object.assign(f.metadata, { label: { a: "b" } }));
    expect(validate(FS, meta)).toEqual(["metadata.label: unknown field"]);
  });

  it("accepts the metadata fields ObjectMeta lists", () => {
    const meta = edit(plan.flowSchema, (f) =>
      Object.assign(f.metadata, { generateName: "x-", finalizers: ["a/b"], creationTimestamp: "2026-01-01T00:00:00Z", generation: 3 }),
    );
    expect(validate(FS, meta)).toEqual([]);
  });

  it("rejects wrong types, missing required fields and out-of-range integers", () => {
    expect(validate(FS, edit(plan.flowSchema, (f) => Object.assign(f.spec, { matchingPrecedence: "8999" })))).toEqual([
      "spec.matchingPrecedence: expected integer, got string",
    ]);
    expect(validate(FS, edit(plan.flowSchema, (f) => Object.assign(f.spec, { matchingPrecedence: 1.5 })))).toEqual([
      "spec.matchingPrecedence: expected integer, got number",
    ]);
    expect(validate(PLC, edit(plan.priorityLevel, (p) => Object.assign(p.spec.limited, { nominalConcurrencyShares: 2 ** 31 })))).toEqual([
      "spec.limited.nominalConcurrencyShares: 2147483648 is out of int32 range",
    ]);
    expect(validate(FS, edit(plan.flowSchema, (f) => Object.assign(f.metadata.labels, { n: 1 })))).toEqual([
      "metadata.labels.n: expected string, got integer",
    ]);
    expect(validate(FS, edit(plan.flowSchema, (f) => Object.assign(f.spec.rules[0]!.resourceRules[0]!, { clusterScope: "yes" })))).toEqual([
      "spec.rules[0].resourceRules[0].clusterScope: expected boolean, got string",
    ]);
    expect(validate(FS, edit(plan.flowSchema, (f) => Object.assign(f.spec.rules[0]!, { subjects: { kind: "User" } })))).toEqual([
      "spec.rules[0].subjects: expected array, got object",
    ]);
    const { priorityLevelConfiguration: _, ...noLevel } = plan.flowSchema.spec;
    expect(validate(FS, { ...plan.flowSchema, spec: noLevel })).toEqual(["spec: missing required field priorityLevelConfiguration"]);
    const noKind = edit(plan.flowSchema, (f) => Object.assign(f.spec.rules[0]!.subjects[0]!, { kind: undefined }));
    delete (noKind.spec.rules[0]!.subjects[0] as { kind?: string }).kind;
    expect(validate(FS, noKind)).toEqual(["spec.rules[0].subjects[0]: missing required field kind"]);
    expect(validate(FS, edit(plan.flowSchema, (f) => Object.assign(f.spec, { distinguisherMethod: null })))).toEqual([
      "spec.distinguisherMethod: null is not allowed",
    ]);
  });

  it("checks apiVersion and kind against the schema's group-version-kind", () => {
    expect(validate(FS, { ...plan.flowSchema, apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3" })).toEqual([
      `apiVersion/kind: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not ${FS}`,
    ]);
    expect(validate(FS, plan.priorityLevel)).not.toEqual([]);
    expect(() => validate("io.k8s.api.flowcontrol.v1.Nope", {})).toThrow(/no schema/);
  });
});
