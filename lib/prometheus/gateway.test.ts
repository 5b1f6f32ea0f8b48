import { describe, expect, it } from "vitest";
import type { PrometheusClient } from "./client";
import { PrometheusError } from "./errors";
import { createGateway } from "./gateway";

/** A client that answers instantly and counts calls (the gateway's own logic is what is tested here). */
function countingClient() {
  const calls: string[] = [];
  let fail = false;
  const answer = async <T>(what: string, value: T): Promise<T> => {
    calls.push(what);
    await Promise.resolve();
    if (fail) throw new PrometheusError("unreachable", "down");
    return value;
  };
  const client: PrometheusClient = {
    queryRange: (q) => answer(`range ${q}`, []),
    queryInstant: (q) => answer(`instant ${q}`, []),
    series: () => answer("series", []),
    labelNames: () => answer("labels", []),
    labelValues: () => answer("values", []),
    buildInfo: () => answer("buildinfo", {}),
    probe: () => answer("probe", { version: "2.42.0" }),
    metadata: () => answer("metadata", {}),
  };
  return { client, calls, setFail: (f: boolean) => (fail = f) };
}

describe("gateway caching", () => {
  it("shares in-flight calls and answers for the TTL", async () => {
    let t = 1_000_000;
    const { client, calls } = countingClient();
    const gw = createGateway(client, { ttlMs: 10_000, now: () => t });
    await Promise.all([gw.queryRange("q", 0, 100, 10), gw.queryRange("q", 0, 100, 10), gw.queryRange("q", 0, 110, 10)]);
    expect(calls).toEqual(["range q", "range q"]);
    t += 9_000;
    await gw.queryRange("q", 0, 100, 10);
    expect(calls).toHaveLength(2);
    t += 2_000;
    await gw.queryRange("q", 0, 100, 10);
    expect(calls).toHaveLength(3);
    expect(gw.upstreamCalls()).toBe(3);
  });
  it("keeps answers about settled windows longer", async () => {
    let t = 10_000_000;
    const { client, calls } = countingClient();
    const gw = createGateway(client, { ttlMs: 10_000, settledAfterMs: 60_000, settledTtlMs: 300_000, now: () => t });
    const settledEnd = (t - 120_000) / 1000;
    const liveEnd = t / 1000;
    await gw.queryRange("old", 0, settledEnd, 10);
    await gw.queryInstant("live", liveEnd);
    t += 60_000;
    await gw.queryRange("old", 0, settledEnd, 10);
    await gw.queryInstant("live", liveEnd);
    expect(calls).toEqual(["range old", "instant live", "instant live"]);
  });
  it("does not cache failures", async () => {
    const { client, calls, setFail } = countingClient();
    const gw = createGateway(client, { ttlMs: 60_000 });
    setFail(true);
    await expect(gw.buildInfo()).rejects.toMatchObject({ kind: "unreachable" });
    setFail(false);
    await expect(gw.buildInfo()).resolves.toEqual({});
    expect(calls).toEqual(["buildinfo", "buildinfo"]);
  });
  it("never answers a reachability probe from the cache, but shares one in flight", async () => {
    let t = 0;
    const { client, calls, setFail } = countingClient();
    const gw = createGateway(client, { ttlMs: 60_000, now: () => t });
    await Promise.all([gw.probe(), gw.probe()]);
    expect(calls).toEqual(["probe"]);
    // Prometheus dies a moment after answering: the next check says so, not the answer of a moment ago.
    t += 1;
    setFail(true);
    await expect(gw.probe()).rejects.toMatchObject({ kind: "unreachable" });
    setFail(false);
    t += 1;
    await expect(gw.probe()).resolves.toEqual({ version: "2.42.0" });
    expect(calls).toEqual(["probe", "probe", "probe"]);
  });
  it("stays bounded", async () => {
    const { client } = countingClient();
    let t = 0;
    const gw = createGateway(client, { ttlMs: 1_000_000, maxEntries: 10, now: () => t });
    for (let i = 0; i < 50; i++) {
      t++;
      await gw.queryInstant(`q${i}`, 0);
    }
    await gw.queryInstant("q49", 0);
    await gw.queryInstant("q0", 0);
    expect(gw.upstreamCalls()).toBe(51); // q49 still cached, q0 evicted
  });
});
