// The throttle builder's state and its outcome: the choices an SRE edits (subjects, scope, shares, queueing) applied
// to a client's resolution, giving the guard-rail verdict, the seat arithmetic, the effect estimate and the objects.
import { BOOTSTRAP_PRIORITY_LEVELS, DEFAULT_SERVER_LIMIT } from "./bootstrap";
import { estimateEffect, type Effect } from "./effect";
import { DEFAULT_QUEUING, throttlePlan, type ThrottlePlan } from "./generate";
import { checkThrottle, type GuardResult } from "./guard";
import type { Resolution } from "./resolve";
import { withNewLevel, type NewLevelSeats } from "./seats";
import type { QueuingConfiguration } from "./types";
import { parseFlat, serializeFlat } from "../url-state";

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

/** The URL parameters' prefix of the builder's choices. */
export const THROTTLE_PREFIX = "apf";
const WITHOUT = `${THROTTLE_PREFIX}.without`;

type FlatBuilder = Omit<BuilderSettings, "users" | "verbs" | "resources" | "queuing" | "before" | "override"> & {
  queues: number;
  handSize: number;
  queueLengthLimit: number;
  /** 0: none. */
  before: number;
};

const flat = (s: BuilderSettings): FlatBuilder => {
  const { users: _u, verbs: _v, resources: _r, queuing, before, override: _o, ...rest } = s;
  return { ...rest, ...queuing, before: before ?? 0 };
};
const ALLOWED = { mode: ["Queue", "Reject"], apiVersion: ["v1", "v1beta3"] } as const;

/**
 * The choices as URL parameters: what differs from the defaults, and the subjects, verbs and resources left out.
 * The override is not carried: accepting a refused throttle stays a decision of whoever opens the link.
 */
export function paramsFromSettings(defaults: BuilderSettings, s: BuilderSettings): URLSearchParams {
  const out = serializeFlat(THROTTLE_PREFIX, flat(defaults), flat(s));
  const left = (kind: string, all: string[], chosen: string[]) => all.filter((x) => !chosen.includes(x)).map((x) => `${kind}:${x}`);
  for (const w of [...left("user", defaults.users, s.users), ...left("verb", defaults.verbs, s.verbs), ...left("resource", defaults.resources, s.resources)]) {
    out.append(WITHOUT, w);
  }
  return out;
}

export function settingsFromParams(defaults: BuilderSettings, params: URLSearchParams): BuilderSettings {
  const f = parseFlat(params, THROTTLE_PREFIX, flat(defaults), ALLOWED);
  const without = new Set(params.getAll(WITHOUT));
  const keep = (kind: string, all: string[]) => all.filter((x) => !without.has(`${kind}:${x}`));
  const { queues, handSize, queueLengthLimit, before, ...rest } = f;
  return {
    ...rest,
    users: keep("user", defaults.users),
    verbs: keep("verb", defaults.verbs),
    resources: keep("resource", defaults.resources),
    queuing: { queues, handSize, queueLengthLimit },
    before: before > 0 ? before : null,
    override: defaults.override,
  };
}
