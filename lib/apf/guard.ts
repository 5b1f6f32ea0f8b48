// Guard rails before a throttle is offered: traffic the cluster needs to keep itself alive is refused, and subjects
// that would sweep up far more than the culprit are called out.
import type { SubjectRef } from "./generate";
import { namePattern } from "./pattern";

export interface GuardInput {
  subjects: readonly SubjectRef[];
  /** The schemas that classify the culprit's traffic today. */
  currentSchemas: ReadonlyArray<{ name: string; matchingPrecedence: number; priorityLevel?: string }>;
  /** Distinct users the culprit's traffic came from, when known (otherwise the subjects are counted). */
  observedSubjects?: number;
  /** Warn above this many subjects (default 5). */
  maxSubjects?: number;
  /** The operator accepted the risk: overridable refusals no longer block. */
  override?: boolean;
}

export interface GuardFinding {
  rule:
    | "system_masters"
    | "nodes"
    | "kube_system"
    | "control_plane"
    | "system_schema"
    | "exempt"
    | "many_subjects"
    | "broad_subject";
  text: string;
  /** false: no override makes the throttle safe or effective. */
  overridable: boolean;
}

export interface GuardResult {
  /** Whether a throttle may be generated: no refusals, or only overridable ones and the override is set. */
  allowed: boolean;
  refusals: GuardFinding[];
  warnings: GuardFinding[];
  notes: string[];
}

const DEFAULT_MAX_SUBJECTS = 5;
const CONTROL_PLANE_USERS = new Set(["system:kube-controller-manager", "system:kube-scheduler"]);
/** Default schemas whose traffic keeps nodes, controllers and leader election working. */
const SYSTEM_SCHEMAS = new Set([
  "system-leader-election",
  "system-node-high",
  "system-nodes",
  "kube-controller-manager",
  "kube-scheduler",
  "kube-system-service-accounts",
]);
/** Groups that hold every user, every authenticated user or every service account. */
const BROAD_GROUPS = new Set(["*", "system:authenticated", "system:unauthenticated", "system:serviceaccounts"]);

/** Why edited default objects come back, and why ours are not affected. */
export const AUTOUPDATE_NOTE =
  "The API server keeps its suggested FlowSchemas and PriorityLevelConfigurations at their built-in spec while their " +
  'annotation apf.kubernetes.io/autoupdate-spec is "true", so an edit to one of them is reverted unless the annotation ' +
  'is set to "false"; the mandatory ones (exempt, catch-all) are always restored. The objects apiscope creates have new ' +
  "names and no such annotation, so the API server leaves them alone — do not add it set to \"true\": the API server " +
  "deletes annotated objects it does not know.";

const label = (s: SubjectRef) => (s.kind === "ServiceAccount" ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`);

/** What the subjects a refusal rule catches are called, when there are many of them. */
const MANY: Partial<Record<GuardFinding["rule"], string>> = {
  nodes: "node identities",
  kube_system: "kube-system service accounts",
  control_plane: "control-plane users",
  system_masters: "administrator subjects",
};
/** More refusals of one rule than this become one line. */
const GROUP_ABOVE = 3;

function subjectRefusal(s: SubjectRef): (GuardFinding & { why: string; subject: string }) | null {
  const refuse = (rule: GuardFinding["rule"], why: string) => ({ rule, text: `${label(s)}: ${why}`, overridable: true, why, subject: label(s) });
  if (s.kind === "Group" && s.name === "system:masters") return refuse("system_masters", "cluster administrators, exempt from APF");
  if ((s.kind === "Group" && s.name === "system:nodes") || (s.kind === "User" && s.name.startsWith("system:node:"))) {
    return refuse("nodes", "kubelets; throttled node heartbeats and status updates turn nodes NotReady");
  }
  if (s.kind === "ServiceAccount" && s.namespace === "kube-system") {
    return refuse("kube_system", "a kube-system service account: controllers and add-ons the cluster runs on");
  }
  if (s.kind === "User" && CONTROL_PLANE_USERS.has(s.name)) return refuse("control_plane", "a control-plane component");
  return null;
}

function subjectWarning(s: SubjectRef): GuardFinding | null {
  const warn = (why: string): GuardFinding => ({ rule: "broad_subject", text: `${label(s)}: ${why}`, overridable: true });
  if (s.kind === "Group" && (BROAD_GROUPS.has(s.name) || s.name.startsWith("system:serviceaccounts:"))) {
    return warn("a group this wide throttles everyone in it, not just the culprit");
  }
  if (s.kind === "User" && s.name === "*") return warn("matches every user");
  if (s.kind === "ServiceAccount" && s.name === "*") return warn(`matches every service account in namespace ${s.namespace}`);
  return null;
}

/** One line per rule when many subjects are refused for the same reason ("300 node identities (User system:node:*): …"). */
function groupRefusals(found: ReadonlyArray<GuardFinding & { why: string; subject: string }>): GuardFinding[] {
  const byRule = new Map<GuardFinding["rule"], Array<GuardFinding & { why: string; subject: string }>>();
  for (const f of found) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  return [...byRule.values()].flatMap((fs) => {
    if (fs.length <= GROUP_ABOVE) return fs.map(({ rule, text, overridable }) => ({ rule, text, overridable }));
    const pattern = namePattern(fs.map((f) => f.subject));
    const text = `${fs.length} ${MANY[fs[0]!.rule] ?? "subjects"}${pattern ? ` (${pattern})` : ""}: ${fs[0]!.why}`;
    return [{ rule: fs[0]!.rule, text, overridable: fs.every((f) => f.overridable) }];
  });
}

/** Refusals, warnings and notes for a throttle on these subjects and the traffic the schemas serve today. */
export function checkThrottle(input: GuardInput): GuardResult {
  const refusals = groupRefusals(input.subjects.map(subjectRefusal).filter((f) => f !== null));
  for (const s of input.currentSchemas) {
    if (s.matchingPrecedence <= 2 || s.priorityLevel === "exempt" || s.name === "exempt") {
      refusals.push({
        rule: "exempt",
        text: `${s.name} (precedence ${s.matchingPrecedence}) exempts this traffic; no schema can come before it`,
        overridable: false,
      });
    } else if (SYSTEM_SCHEMAS.has(s.name)) {
      const text = `${s.name} serves this traffic today: it keeps the cluster running`;
      refusals.push({ rule: "system_schema", text, overridable: true });
    }
  }
  const warnings = input.subjects.map(subjectWarning).filter((f): f is GuardFinding => f !== null);
  const max = input.maxSubjects ?? DEFAULT_MAX_SUBJECTS;
  const count = Math.max(input.subjects.length, input.observedSubjects ?? 0);
  if (count > max) {
    warnings.push({
      rule: "many_subjects",
      text: `the traffic comes from ${count} subjects (more than ${max}): a throttle on all of them may catch other clients too`,
      overridable: true,
    });
  }
  const blocking = refusals.filter((r) => !r.overridable || !input.override);
  return { allowed: blocking.length === 0, refusals, warnings, notes: [AUTOUPDATE_NOTE] };
}
