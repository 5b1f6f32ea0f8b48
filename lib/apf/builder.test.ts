import { describe, expect, it } from "vitest";
import { buildThrottle, defaultSettings, paramsFromSettings, resourceKey, resourceLabel, settingsFromParams } from "./builder";
import { resolveClient, type ClientTraffic } from "./resolve";

const SA = "system:serviceaccount:monitoring:telemetry";
const traffic: ClientTraffic = {
  client: "telemetry-agent",
  windowSeconds: 600,
  users: [{ user: SA, groups: [], requests: 60_000, seconds: 6_000 }],
  shapes: [{ user: SA, verb: "list", resource: "pods", namespace: null, requests: 60_000 }],
  others: [],
};

describe("the throttle builder", () => {
  it("by default throttles everything the client was seen doing, ahead of the schema serving it today", () => {
    const r = resolveClient(traffic);
    const out = buildThrottle(r, defaultSettings(r), 600);
    expect(out.problem).toBeNull();
    expect(out.plan!.flowSchema.spec.matchingPrecedence).toBe(8999);
    expect(out.plan!.flowSchema.spec.rules[0]!.subjects).toEqual([{ kind: "ServiceAccount", serviceAccount: { namespace: "monitoring", name: "telemetry" } }]);
    expect(out.plan!.flowSchema.spec.rules[0]!.resourceRules[0]).toMatchObject({ verbs: ["list"], resources: ["pods"], clusterScope: true });
    // 5 shares of 250 at the default limit of 600: 12 seats, for 100 requests/s × 0.1 s = 10 in flight.
    expect(out.seats!.seats).toBe(12);
    expect(out.effect!.concurrency).toBeCloseTo(10, 9);
    expect(out.offeredPerSecond).toBe(100);
  });

  it("sheds most of a flood that needs far more seats than its level gets", () => {
    const r = resolveClient({ ...traffic, users: [{ user: SA, groups: [], requests: 60_000, seconds: 60_000 }] });
    const out = buildThrottle(r, { ...defaultSettings(r), mode: "Reject" }, 600);
    // 100 in flight on 12 seats: at most 12 of 100 requests per second complete.
    expect(out.effect!.rejectShare).toBeGreaterThan(0.85);
    expect(out.effect!.throughputCapPerSecond).toBeCloseTo(12, 9);
  });

  it("refuses kube-system service accounts unless the operator overrides", () => {
    const ks = "system:serviceaccount:kube-system:coredns";
    const r = resolveClient({ ...traffic, users: [{ user: ks, groups: [], requests: 10, seconds: 1 }], shapes: [{ user: ks, verb: "list", resource: "pods", namespace: null, requests: 10 }] });
    const refused = buildThrottle(r, defaultSettings(r), 600);
    expect(refused.plan).toBeNull();
    expect(refused.problem).toContain("kube-system");
    expect(buildThrottle(r, { ...defaultSettings(r), override: true }, 600).plan).not.toBeNull();
  });

  it("asks for a subject when none is chosen", () => {
    const r = resolveClient(traffic);
    expect(buildThrottle(r, { ...defaultSettings(r), users: [] }, 600).problem).toMatch(/at least one/);
  });

  it("labels resources as kubectl users know them", () => {
    expect(resourceLabel(resourceKey({ apiGroup: "", resource: "pods" }))).toBe("pods");
    expect(resourceLabel(resourceKey({ apiGroup: "apps", resource: "deployments/scale" }))).toBe("deployments/scale (apps)");
  });

  it("comes before a schema of the cluster's own when told its precedence", () => {
    const r = resolveClient(traffic);
    expect(buildThrottle(r, { ...defaultSettings(r), before: 500 }, 600).plan!.flowSchema.spec.matchingPrecedence).toBe(499);
  });
});

describe("the throttle builder's choices in the URL", () => {
  it("round-trip, carrying only what differs from the defaults and never the override", () => {
    const r = resolveClient({ ...traffic, shapes: [...traffic.shapes, { user: SA, verb: "watch", resource: "nodes", namespace: null, requests: 1 }] });
    const defaults = defaultSettings(r);
    expect(paramsFromSettings(defaults, defaults).toString()).toBe("");
    const edited = { ...defaults, shares: 10, mode: "Reject" as const, verbs: ["list"], before: 500, override: true, queuing: { ...defaults.queuing, queues: 32 } };
    const params = paramsFromSettings(defaults, edited);
    expect([...params.keys()].every((k) => k.startsWith("apf."))).toBe(true);
    expect(params.getAll("apf.without")).toEqual(["verb:watch"]);
    expect(settingsFromParams(defaults, params)).toEqual({ ...edited, override: false });
  });

  it("ignores values of the wrong kind", () => {
    const r = resolveClient(traffic);
    const defaults = defaultSettings(r);
    expect(settingsFromParams(defaults, new URLSearchParams({ "apf.mode": "Drop", "apf.shares": "x", "apf.without": "verb:nope" }))).toEqual(defaults);
  });
});
