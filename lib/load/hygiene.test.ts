import { describe, expect, it } from "vitest";
import type { ListHygieneRow } from "../audit/answers";
import { findingsOf, hygieneScorecard } from "./hygiene";

const row = (client: string, resource: string, lists: number, extra: Partial<ListHygieneRow> = {}): ListHygieneRow => ({
  client,
  resource,
  lists,
  withoutRv0: 0,
  withoutLimit: 0,
  clusterScoped: 0,
  watches: lists,
  ...extra,
});

describe("LIST hygiene scorecard", () => {
  it("ranks a cluster-wide LIST of a huge resource above many LISTs of a small one", () => {
    const rows = [
      row("config-poller", "configmaps", 5000, { withoutRv0: 5000 }),
      row("telemetry-agent", "pods", 300, { withoutRv0: 300, clusterScoped: 300 }),
    ];
    const objects = new Map([
      ["pods", 150_000],
      ["configmaps", 40],
    ]);
    const card = hygieneScorecard(rows, objects);
    expect(card.map((c) => c.client)).toEqual(["telemetry-agent", "config-poller"]);
    expect(card[0]!.objectsFromEtcd).toBe(300 * 150_000);
    expect(card[0]!.resources).toEqual([{ resource: "pods", lists: 300, objects: 150_000 }]);
    // Without object counts every LIST weighs one: the busier poller comes first.
    expect(hygieneScorecard(rows, null).map((c) => c.client)).toEqual(["config-poller", "telemetry-agent"]);
  });

  it("sums a client's resources and reports each bad practice with what to do instead", () => {
    const card = hygieneScorecard(
      [row("agent", "pods", 80, { withoutRv0: 80, withoutLimit: 80, clusterScoped: 80, watches: 0 }), row("agent", "nodes", 20, { withoutRv0: 20, withoutLimit: 20, watches: 0 })],
      null,
    );
    expect(card).toHaveLength(1);
    expect(card[0]).toMatchObject({ lists: 100, withoutRv0: 100, withoutLimit: 100, clusterScoped: 80, watches: 0 });
    const kinds = card[0]!.findings.map((f) => f.kind);
    expect(kinds).toEqual(["no_rv0", "no_limit", "cluster_wide", "relist"]);
    const byKind = Object.fromEntries(card[0]!.findings.map((f) => [f.kind, f]));
    expect(byKind.no_rv0!.text).toContain("100%");
    expect(byKind.no_rv0!.advice).toMatch(/informer/);
    expect(byKind.no_rv0!.advice).toMatch(/resourceVersion=0/);
    expect(byKind.no_limit!.advice).toMatch(/limit and continue/);
    expect(byKind.cluster_wide!.text).toContain("80%");
    expect(byKind.cluster_wide!.advice).toMatch(/protobuf/);
    expect(byKind.relist!.text).toBe("it LISTs again and again and never WATCHes");
  });

  it("has no findings for a well-behaved informer", () => {
    expect(findingsOf({ lists: 10, withoutRv0: 1, withoutLimit: 0, clusterScoped: 1, watches: 10 })).toEqual([]);
    expect(findingsOf({ lists: 0, withoutRv0: 0, withoutLimit: 0, clusterScoped: 0, watches: 5 })).toEqual([]);
  });

  it("reports polling when LISTs far outnumber WATCHes", () => {
    const [f] = findingsOf({ lists: 500, withoutRv0: 0, withoutLimit: 0, clusterScoped: 0, watches: 10 });
    expect(f).toMatchObject({ kind: "relist", text: "it re-LISTs 50 times per WATCH" });
  });
});
