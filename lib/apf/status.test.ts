import { describe, expect, it } from "vitest";
import type { InstantSample, Labels } from "../prometheus/types";
import { shapeApfStatus, type ApfAnswers } from "./status";

const at = (labels: Labels, value: number | null): InstantSample => ({ labels, timeMs: 0, value });
const A = { job: "apiserver", instance: "10.0.0.1:6443" };
const B = { job: "apiserver", instance: "10.0.0.2:6443" };

/** Two API servers, three levels: workload-low rejects, workload-high is fine, exempt has no seats. */
function answers(over: Partial<ApfAnswers> = {}): ApfAnswers {
  return {
    windowSeconds: 100,
    nominal: [
      at({ ...A, priority_level: "workload-low" }, 245),
      at({ ...B, priority_level: "workload-low" }, 245),
      at({ ...A, priority_level: "workload-high" }, 98),
      at({ ...B, priority_level: "workload-high" }, 98),
      at({ ...A, priority_level: "exempt" }, 0),
      at({ ...B, priority_level: "exempt" }, 0),
    ],
    peakInUse: [
      at({ ...A, priority_level: "workload-low" }, 245),
      at({ ...B, priority_level: "workload-low" }, 200),
      at({ ...A, priority_level: "workload-high" }, 10),
      at({ ...B, priority_level: "workload-high" }, 12),
      at({ ...A, priority_level: "exempt" }, 3),
    ],
    peakQueued: [at({ ...A, priority_level: "workload-low" }, 40), at({ ...A, priority_level: "workload-high" }, 0)],
    waitP99: [
      at({ priority_level: "workload-low" }, 14.2),
      at({ priority_level: "workload-high" }, 0.004),
      at({ priority_level: "exempt" }, NaN),
    ],
    dispatched: [
      at({ flow_schema: "service-accounts", priority_level: "workload-low" }, 1000),
      at({ flow_schema: "kube-controller-manager", priority_level: "workload-high" }, 500),
      at({ flow_schema: "kube-scheduler", priority_level: "workload-high" }, 300),
      at({ flow_schema: "probes", priority_level: "exempt" }, 50),
    ],
    rejected: [
      at({ flow_schema: "service-accounts", priority_level: "workload-low", reason: "time-out" }, 150),
      at({ flow_schema: "service-accounts", priority_level: "workload-low", reason: "queue-full" }, 50),
      at({ flow_schema: "kube-scheduler", priority_level: "workload-high", reason: "time-out" }, 0),
    ],
    configLimit: 600,
    ...over,
  };
}

const byName = (levels: ReturnType<typeof shapeApfStatus>["levels"], name: string) => levels.find((l) => l.name === name)!;

describe("shapeApfStatus", () => {
  it("takes seats and peaks of one API server, the busiest, never a sum over servers", () => {
    const { levels } = shapeApfStatus(answers());
    const low = byName(levels, "workload-low");
    expect(low.busiestServer).toBe("10.0.0.1:6443");
    expect(low.nominalSeats).toBe(245);
    expect(low.servers).toEqual([
      { server: "10.0.0.1:6443", nominalSeats: 245, peakInUse: 245, peakQueued: 40 },
      { server: "10.0.0.2:6443", nominalSeats: 245, peakInUse: 200, peakQueued: null },
    ]);
    expect(low.peakInUse).toBe(245);
    expect(low.peakUtilisation).toBe(1);
    expect(low.peakQueued).toBe(40);
    expect(byName(levels, "workload-high").peakUtilisation).toBeCloseTo(12 / 98, 9);
  });

  it("keeps seats, peak in use and peak use of the same server when servers differ", () => {
    // B has more seats and a higher peak, but A's seats were fuller: A is the busiest, and all three columns are A's.
    const { levels } = shapeApfStatus(
      answers({
        nominal: [at({ ...A, priority_level: "workload-low" }, 245), at({ ...B, priority_level: "workload-low" }, 300)],
        peakInUse: [at({ ...A, priority_level: "workload-low" }, 245), at({ ...B, priority_level: "workload-low" }, 260)],
      }),
    );
    const low = byName(levels, "workload-low");
    expect([low.busiestServer, low.nominalSeats, low.peakInUse, low.peakUtilisation]).toEqual(["10.0.0.1:6443", 245, 245, 1]);
    for (const r of shapeApfStatus(answers()).levels) {
      const busiest = r.servers.find((x) => x.server === r.busiestServer);
      expect([r.nominalSeats, r.peakInUse], r.name).toEqual([busiest?.nominalSeats ?? null, busiest?.peakInUse ?? null]);
      if (r.nominalSeats) expect(r.peakUtilisation, r.name).toBe(r.peakInUse! / r.nominalSeats);
    }
  });

  it("gives rates over the window, rejections by reason largest first", () => {
    const low = byName(shapeApfStatus(answers()).levels, "workload-low");
    expect(low.dispatched).toBe(1000);
    expect(low.dispatchedPerSecond).toBe(10);
    expect(low.rejected).toBe(200);
    expect(low.rejectedPerSecond).toBe(2);
    expect(low.rejectedByReason).toEqual([
      { reason: "time-out", count: 150, perSecond: 1.5 },
      { reason: "queue-full", count: 50, perSecond: 0.5 },
    ]);
    expect(low.reasons[0]).toBe("rejected 200 requests (2/s): time-out 150, queue-full 50");
  });

  it("marks rejecting, queuing, saturated and ok levels and puts them in that order", () => {
    const { levels } = shapeApfStatus(
      answers({
        nominal: [
          at({ ...A, priority_level: "workload-low" }, 245),
          at({ ...A, priority_level: "workload-high" }, 98),
          at({ ...A, priority_level: "system" }, 74),
          at({ ...A, priority_level: "node-high" }, 98),
          at({ ...A, priority_level: "catch-all" }, 13),
          at({ ...A, priority_level: "leader-election" }, 25),
        ],
        peakInUse: [
          at({ ...A, priority_level: "system" }, 70),
          at({ ...A, priority_level: "node-high" }, 89),
          at({ ...A, priority_level: "catch-all" }, 1),
          at({ ...A, priority_level: "leader-election" }, 1),
        ],
        peakQueued: [at({ ...A, priority_level: "catch-all" }, 2)],
        waitP99: [at({ priority_level: "workload-high" }, 0.3), at({ priority_level: "system" }, 0.05)],
      }),
    );
    expect(levels.map((l) => [l.name, l.state])).toEqual([
      ["workload-low", "rejecting"],
      ["workload-high", "queuing"], // wait p99 300 ms
      ["catch-all", "queuing"], // requests queued
      ["system", "saturated"], // 70 of 74 seats; a wait p99 of exactly 50 ms is not queuing yet
      ["node-high", "saturated"], // 89 of 98 seats
      ["leader-election", "ok"],
      ["exempt", "ok"],
    ]);
    expect(byName(levels, "workload-high").reasons).toEqual(["queue wait p99 300ms"]);
    expect(byName(levels, "catch-all").reasons).toEqual(["up to 2 requests queued on one API server"]);
    expect(byName(levels, "node-high").reasons).toEqual(["up to 91% of its nominal seats in use on one API server"]);
    expect(byName(levels, "exempt").reasons).toEqual([]);
  });

  it("sorts rejecting levels by rejection rate", () => {
    const { levels } = shapeApfStatus(
      answers({
        rejected: [
          at({ flow_schema: "service-accounts", priority_level: "workload-low", reason: "time-out" }, 5),
          at({ flow_schema: "kube-scheduler", priority_level: "workload-high", reason: "queue-full" }, 50),
        ],
      }),
    );
    expect(levels.slice(0, 2).map((l) => [l.name, l.state])).toEqual([
      ["workload-high", "rejecting"],
      ["workload-low", "rejecting"],
    ]);
  });

  it("never calls a level without seats saturated", () => {
    const exempt = byName(shapeApfStatus(answers()).levels, "exempt");
    expect(exempt.nominalSeats).toBe(0);
    expect(exempt.peakInUse).toBe(3);
    expect(exempt.busiestServer).toBe("10.0.0.1:6443");
    expect(exempt.peakUtilisation).toBeNull();
    expect(exempt.waitP99).toBeNull();
    expect(exempt.state).toBe("ok");
  });

  it("gives each flow schema its level and rates, the most rejected first", () => {
    const { flowSchemas } = shapeApfStatus(answers());
    const row = (name: string, priorityLevel: string, dispatched: number, rejected: number) => ({
      name,
      priorityLevel,
      dispatched,
      dispatchedPerSecond: dispatched / 100,
      rejected,
      rejectedPerSecond: rejected / 100,
    });
    expect(flowSchemas).toEqual([
      row("service-accounts", "workload-low", 1000, 200),
      row("kube-controller-manager", "workload-high", 500, 0),
      row("kube-scheduler", "workload-high", 300, 0),
      row("probes", "exempt", 50, 0),
    ]);
  });

  it("reads the server limit from the nominal seats per API server", () => {
    const { serverLimit } = shapeApfStatus(answers());
    expect(serverLimit).toMatchObject({
      seats: 343,
      source: "metrics",
      perServer: [
        { server: "10.0.0.1:6443", seats: 343 },
        { server: "10.0.0.2:6443", seats: 343 },
      ],
    });
    expect(serverLimit.note).toMatch(/rounded up/);
  });

  it("names API servers by instance, with their cluster only when there are several", () => {
    const servers = (nominal: InstantSample[]) => byName(shapeApfStatus(answers({ nominal })).levels, "x").servers.map((s) => s.server);
    expect(servers([at({ ...A, cluster: "eu", priority_level: "x" }, 1), at({ ...A, cluster: "us", priority_level: "x" }, 2)])).toEqual([
      "eu/10.0.0.1:6443",
      "us/10.0.0.1:6443",
    ]);
    expect(servers([at({ ...A, cluster: "eu", priority_level: "x" }, 1), at({ ...B, cluster: "eu", priority_level: "x" }, 2)])).toEqual([
      "10.0.0.1:6443",
      "10.0.0.2:6443",
    ]);
  });

  it("leaves what a missing family would give empty and falls back to the configured limit", () => {
    const s = shapeApfStatus(
      answers({ nominal: null, peakInUse: null, peakQueued: null, waitP99: null, rejected: null, configLimit: 3000 }),
    );
    const low = byName(s.levels, "workload-low");
    expect(low).toMatchObject({
      busiestServer: null,
      nominalSeats: null,
      peakInUse: null,
      peakUtilisation: null,
      peakQueued: null,
      waitP99: null,
      rejected: 0,
      state: "ok",
    });
    expect(low.servers).toEqual([]);
    expect(s.serverLimit).toMatchObject({ seats: 3000, source: "config", perServer: [] });
    expect(s.serverLimit.note).toMatch(/APISCOPE_MAX_REQUESTS_INFLIGHT/);
  });

  it("gives nothing for nothing", () => {
    const none: InstantSample[] = [];
    const s = shapeApfStatus({
      windowSeconds: 0,
      nominal: none,
      peakInUse: none,
      peakQueued: none,
      waitP99: none,
      dispatched: none,
      rejected: none,
      configLimit: 600,
    });
    expect(s.levels).toEqual([]);
    expect(s.flowSchemas).toEqual([]);
    expect(s.serverLimit.source).toBe("config");
  });
});
