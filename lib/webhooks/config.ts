// Admission webhook configurations pasted or uploaded by the user (YAML or JSON, one or many documents, Lists too),
// read into the settings that decide their blast radius, with the API server's defaults filled in. Nothing here
// talks to a cluster.
import { parseAllDocuments } from "yaml";
import { z } from "zod";

export interface WebhookRule {
  operations: string[];
  apiGroups: string[];
  resources: string[];
  scope: string;
}

export interface SelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: SelectorRequirement[];
}

export interface WebhookSpec {
  configuration: string;
  type: "validating" | "mutating";
  name: string;
  failurePolicy: "Fail" | "Ignore";
  timeoutSeconds: number;
  rules: WebhookRule[];
  /** null: not set, which selects everything. */
  namespaceSelector: LabelSelector | null;
  objectSelector: LabelSelector | null;
  matchConditions: number;
}

/** admissionregistration.k8s.io/v1 defaults (v1beta1 defaulted failurePolicy to Ignore and timeout to 30 s). */
const DEFAULTS = {
  v1: { failurePolicy: "Fail", timeoutSeconds: 10 },
  v1beta1: { failurePolicy: "Ignore", timeoutSeconds: 30 },
} as const;

const strings = z.array(z.string()).default([]);
const selector = z
  .object({
    matchLabels: z.record(z.string(), z.string()).default({}),
    matchExpressions: z.array(z.object({ key: z.string(), operator: z.string(), values: strings })).default([]),
  })
  .nullish();
const webhook = z.object({
  name: z.string(),
  failurePolicy: z.enum(["Fail", "Ignore"]).optional(),
  timeoutSeconds: z.number().int().min(1).max(30).optional(),
  rules: z.array(z.object({ operations: strings, apiGroups: strings, resources: strings, scope: z.string().default("*") })).default([]),
  namespaceSelector: selector,
  objectSelector: selector,
  matchConditions: z.array(z.unknown()).default([]),
});
const configuration = z.object({
  apiVersion: z.string(),
  kind: z.enum(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]),
  metadata: z.object({ name: z.string() }).default({ name: "(unnamed)" }),
  webhooks: z.array(webhook).default([]),
});

const isEmptySelector = (s: LabelSelector | null | undefined) => !s || (Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0);

function fromConfiguration(doc: z.infer<typeof configuration>): WebhookSpec[] {
  const defaults = doc.apiVersion.endsWith("/v1beta1") ? DEFAULTS.v1beta1 : DEFAULTS.v1;
  return doc.webhooks.map((w) => ({
    configuration: doc.metadata.name,
    type: doc.kind === "MutatingWebhookConfiguration" ? "mutating" : "validating",
    name: w.name,
    failurePolicy: w.failurePolicy ?? defaults.failurePolicy,
    timeoutSeconds: w.timeoutSeconds ?? defaults.timeoutSeconds,
    rules: w.rules,
    namespaceSelector: isEmptySelector(w.namespaceSelector) ? null : w.namespaceSelector!,
    objectSelector: isEmptySelector(w.objectSelector) ? null : w.objectSelector!,
    matchConditions: w.matchConditions.length,
  }));
}

const MAX_INPUT = 2 * 2 ** 20;

/** Every webhook in the text, and what could not be read (with the document's position). */
export function parseWebhookConfigurations(text: string): { webhooks: WebhookSpec[]; problems: string[] } {
  if (text.length > MAX_INPUT) return { webhooks: [], problems: [`the text is larger than ${MAX_INPUT / 2 ** 20} MiB`] };
  const webhooks: WebhookSpec[] = [];
  const problems: string[] = [];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors.length > 0) {
      problems.push(`${where}: not valid YAML (${doc.errors[0]!.message.split("\n")[0]})`);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }); // an alias bomb would otherwise expand without bound
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message.slice(0, 120)}`);
      return;
    }
    if (value === null || value === undefined) return;
    const items = typeof value === "object" && (value as { kind?: unknown }).kind === "List" ? ((value as { items?: unknown[] }).items ?? []) : [value];
    items.forEach((item, j) => {
      const at = items.length > 1 || item !== value ? `${where}, item ${j + 1}` : where;
      const parsed = configuration.safeParse(item);
      if (parsed.success) webhooks.push(...fromConfiguration(parsed.data));
      else {
        const kind = typeof item === "object" && item !== null ? (item as { kind?: unknown }).kind : undefined;
        const issue = parsed.error.issues[0]!;
        problems.push(
          typeof kind === "string" && !kind.endsWith("WebhookConfiguration")
            ? `${at}: a ${kind.slice(0, 60)}, not a webhook configuration`
            : `${at}: ${issue.path.join(".") || "document"}: ${issue.message}`,
        );
      }
    });
  });
  if (webhooks.length === 0 && problems.length === 0) problems.push("no ValidatingWebhookConfiguration or MutatingWebhookConfiguration found");
  return { webhooks, problems };
}
