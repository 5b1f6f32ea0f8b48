// Which FlowSchema classifies a request, as the API server decides it (apf rule_matching.go): schemas in order of
// matchingPrecedence then name, the first with a rule matching both a subject and the request wins.
import type { FlowSchemaSummary, NonResourcePolicyRule, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from "./types";

export interface ApfRequest {
  user: string;
  /** Groups as the authenticator reported them; the implied ones (system:authenticated, SA groups) are added. */
  groups: readonly string[];
  verb: string;
  apiGroup: string;
  /** With the subresource joined as APF sees it: "pods/status". */
  resource: string;
  /** null: a cluster-scoped request. */
  namespace: string | null;
  /** Set for a non-resource request ("/healthz"); the resource fields are then ignored. */
  nonResourceURL?: string;
}

type SchemaLike = Pick<FlowSchemaSummary, "name" | "matchingPrecedence" | "rules">;

const SA_PREFIX = "system:serviceaccount:";

/** The service account's namespace, or null when the user is not a service account. */
export function serviceAccountNamespace(user: string): string | null {
  if (!user.startsWith(SA_PREFIX)) return null;
  const rest = user.slice(SA_PREFIX.length);
  const colon = rest.indexOf(":");
  return colon > 0 ? rest.slice(0, colon) : null;
}

/** The request's groups plus the ones every authenticator adds (the anonymous user is the unauthenticated one). */
export function effectiveGroups(user: string, groups: readonly string[]): string[] {
  const out = new Set(groups);
  out.add(user === "system:anonymous" ? "system:unauthenticated" : "system:authenticated");
  const ns = serviceAccountNamespace(user);
  if (ns !== null) {
    out.add("system:serviceaccounts");
    out.add(`system:serviceaccounts:${ns}`);
  }
  return [...out];
}

// A wildcard counts only as the list's sole member (API validation enforces that), as in the API server.
const contains = (list: readonly string[] | undefined, value: string, wildcard: string) =>
  list !== undefined && ((list.length === 1 && list[0] === wildcard) || list.includes(value));

function subjectMatches(s: Subject, user: string, groups: readonly string[]): boolean {
  switch (s.kind) {
    case "User":
      return s.user.name === "*" || s.user.name === user;
    case "Group":
      return s.group.name === "*" || groups.includes(s.group.name);
    case "ServiceAccount": {
      const { namespace, name } = s.serviceAccount;
      if (serviceAccountNamespace(user) !== namespace) return false;
      return name === "*" || user === `${SA_PREFIX}${namespace}:${name}`;
    }
  }
}

function resourceRuleMatches(r: ResourcePolicyRule, req: ApfRequest): boolean {
  const wanted = contains(r.verbs, req.verb, "*") && contains(r.resources, req.resource, "*") && contains(r.apiGroups, req.apiGroup, "*");
  if (!wanted) return false;
  return req.namespace === null || req.namespace === "" ? r.clusterScope === true : contains(r.namespaces, req.namespace, "*");
}

// "/apis" matches "/apis" and everything under "/apis/"; "/apis/*" everything under "/apis/".
function urlMatches(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === path) return true;
  let prefix = pattern.endsWith("*") ? pattern.slice(0, -1) : pattern;
  if (!prefix.endsWith("/")) prefix += "/";
  return path.startsWith(prefix);
}

const nonResourceRuleMatches = (r: NonResourcePolicyRule, req: ApfRequest, url: string) =>
  contains(r.verbs, req.verb, "*") && r.nonResourceURLs.some((p) => urlMatches(p, url));

function ruleMatches(rule: PolicyRulesWithSubjects, req: ApfRequest, groups: readonly string[]): boolean {
  if (!rule.subjects.some((s) => subjectMatches(s, req.user, groups))) return false;
  const url = req.nonResourceURL;
  if (url !== undefined) return (rule.nonResourceRules ?? []).some((r) => nonResourceRuleMatches(r, req, url));
  return (rule.resourceRules ?? []).some((r) => resourceRuleMatches(r, req));
}

/** Whether any of the schema's rules matches the request. */
export function schemaMatches(schema: Pick<FlowSchemaSummary, "rules">, request: ApfRequest): boolean {
  const groups = effectiveGroups(request.user, request.groups);
  return schema.rules.some((rule) => ruleMatches(rule, request, groups));
}

/** The schema that classifies the request: lowest matchingPrecedence, then name; null when none matches. */
export function matchFlowSchema<S extends SchemaLike>(schemas: readonly S[], request: ApfRequest): S | null {
  const byName = (a: S, b: S) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); // Go's byte order, for the ASCII names allowed
  const ordered = [...schemas].sort((a, b) => a.matchingPrecedence - b.matchingPrecedence || byName(a, b));
  return ordered.find((s) => schemaMatches(s, request)) ?? null;
}
