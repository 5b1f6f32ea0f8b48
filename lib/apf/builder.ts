// The throttle builder's state and its outcome: the choices an SRE edits (subjects, scope, shares, queueing) applied
// to a client's resolution, giving the guard-rail verdict, the seat arithmetic, the effect estimate and the objects.
import { BOOTSTRAP_PRIORITY_LEVELS, DEFAULT_SERVER_LIMIT } from "./bootstrap";
import { estimateEffect, type Effect } from "./effect";
import { DEFAULT_QUEUING, throttlePlan, type ThrottlePlan } from "./generate";
import { checkThrottle, type GuardResult } from "./guard";
import type { Resolution } from "./resolve";
import { withNewLevel, type NewLevelSeats } from "./seats";
import type { QueuingConfiguration } from "./types";

export interface BuilderSettings {
  /** Users (as the audit log names them) whose requests go to the new level. */
  users: string[];
  verbs: string[];
  /** "apiGroup/resource" keys, see resourceKey. */
  resources: string[];
  /** Only the namespaces seen, or every namespace. */
  allNamespaces: boolean;
  clusterScope: boolean;
  shares: number;
  mode: "Queue" | "Reject";
  queuing: QueuingConfiguration;
  apiVersion: "v1" | "v1beta3";
  serverLimit: number;
  /** The operator accepts the overridable refusals. */
  override: boolean;
  /**
   * The precedence of a schema of the cluster's own that may match this traffic first (the defaults are all apiscope
   * knows; the metrics show other schema names but not their rules): the generated schema comes before it too.
   */
  before: number | null;
}

export const resourceKey = (r: { apiGroup: string; resource: string }) => `${r.apiGroup}/${r.resource}`;

/** "pods", or "deployments/scale (apps)" for a named API group. */
export function resourceLabel(key: string): string {
  const slash = key.indexOf("/");
  const group = key.slice(0, slash);
  const resource = key.slice(slash + 1);
  return group === "" ? resource : `${resource} (${group})`;
}

/** Everything the client was seen doing, on a small level of its own that queues. */
export function defaultSettings(r: Resolution, serverLimit = DEFAULT_SERVER_LIMIT): BuilderSettings {
  return {
    users: r.subjects.map((s) => s.user),
    verbs: r.verbs,
    resources: r.resources.map(resourceKey),
    allNamespaces: false,
    clusterScope: r.clusterScope,
    shares: 5,
    mode: "Queue",
    queuing: { ...DEFAULT_QUEUING },
    apiVersion: "v1",
    serverLimit,
    override: false,
    before: null,
  };
}

export interface BuilderOutcome {
  guard: GuardResult;
  seats: NewLevelSeats | null;
  effect: Effect | null;
  /** Requests per second the new level would receive: the client's and, from the same users, the collateral. */
  offeredPerSecond: number;
  plan: ThrottlePlan | null;
  /** Why no objects were generated (a refusal or an invalid choice). */
  problem: string | null;
}

export function buildThrottle(r: Resolution, s: BuilderSettings, windowSeconds: number): BuilderOutcome {
  const currentSchemas =
    s.before === null ? r.currentSchemas : [...r.currentSchemas, { name: "a schema of your own", matchingPrecedence: s.before, priorityLevel: "", requests: 0 }];
  const chosen = r.subjects.filter((x) => s.users.includes(x.user));
  const subjects = chosen.map((x) => x.ref);
  const guard = checkThrottle({
    subjects,
    currentSchemas,
    observedSubjects: r.subjects.length,
    override: s.override,
  });
  const collateral = r.collateral.filter((c) => s.users.includes(c.user)).reduce((a, c) => a + c.requests, 0);
  const requests = chosen.reduce((a, x) => a + x.requests, 0) + collateral;
  const offeredPerSecond = windowSeconds > 0 ? requests / windowSeconds : 0;
  const empty = { guard, seats: null, effect: null, offeredPerSecond, plan: null };
  if (subjects.length === 0) return { ...empty, problem: "Choose at least one user or service account." };
  let seats: NewLevelSeats;
  try {
    seats = withNewLevel(BOOTSTRAP_PRIORITY_LEVELS, { name: "apiscope-new-level", nominalConcurrencyShares: s.shares }, s.serverLimit);
  } catch (err) {
    return { ...empty, problem: (err as Error).message };
  }
  const effect =
    r.meanLatencySeconds > 0 && Number.isFinite(s.shares) && s.shares > 0
      ? estimateEffect({
          ratePerSecond: offeredPerSecond,
          meanLatencySeconds: r.meanLatencySeconds,
          seats: seats.seats,
          mode: s.mode,
          queuing: s.queuing,
          flows: subjects.length,
        })
      : null;
  if (!guard.allowed) return { ...empty, seats, effect, problem: guard.refusals.map((f) => f.text).join("; ") };
  try {
    const plan = throttlePlan({
      culprit: r.client,
      subjects,
      verbs: s.verbs,
      resources: r.resources.filter((x) => s.resources.includes(resourceKey(x))),
      namespaces: s.allNamespaces ? "*" : r.namespaces,
      clusterScope: s.clusterScope,
      currentSchemas,
      shares: s.shares,
      mode: s.mode,
      queuing: s.queuing,
      apiVersion: s.apiVersion,
    });
    return { guard, seats, effect, offeredPerSecond, plan, problem: null };
  } catch (err) {
    return { ...empty, seats, effect, problem: (err as Error).message };
  }
}
