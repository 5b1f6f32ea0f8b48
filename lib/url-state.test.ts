import { describe, expect, it } from "vitest";
import {
  DEFAULT_SELECTION,
  DEFAULT_VIEW,
  parseFlat,
  parseSelection,
  serializeFlat,
  parseViewState,
  serializeSelection,
  serializeViewState,
  shareableView,
  withFilter,
  withoutFilter,
  parseWebhookChoice,
  serializeWebhookChoice,
  type Selection,
  type ViewState,
} from "./url-state";

const NOW = Date.UTC(2024, 11, 11, 16, 0, 0);

const views: ViewState[] = [
  DEFAULT_VIEW,
  { ...DEFAULT_VIEW, refresh: "30s" },
  { ...DEFAULT_VIEW, range: { from: { kind: "now", offsetSeconds: 6 * 3600 }, to: { kind: "now", offsetSeconds: 0 } } },
  { ...DEFAULT_VIEW, range: { from: { kind: "absolute", ms: NOW - 1000 }, to: { kind: "absolute", ms: NOW } }, cluster: "prod-eu-1", instance: "10.0.0.1:6443" },
  { ...DEFAULT_VIEW, cluster: 'we"ird\\cluster name&x=1', instance: "<img src=x>" },
];

describe("view state in the URL", () => {
  it("round-trips every view through the query string", () => {
    for (const view of views) {
      const qs = serializeViewState(view).toString();
      const back = parseViewState(new URLSearchParams(qs));
      expect(back, qs).toEqual(view);
      expect(serializeViewState(back).toString()).toBe(qs);
    }
  });
  it("leaves defaults out so the plain page has a plain URL", () => {
    expect(serializeViewState(DEFAULT_VIEW).toString()).toBe("");
    expect(serializeViewState({ ...DEFAULT_VIEW, refresh: "1m" }).toString()).toBe("refresh=1m");
  });
  it("falls back to defaults for invalid values", () => {
    const v = parseViewState(new URLSearchParams("from=yesterday&to=now&refresh=1s&cluster=" + "x".repeat(300)));
    expect(v).toEqual(DEFAULT_VIEW);
  });
  it("accepts Next.js searchParams records", () => {
    expect(parseViewState({ from: "now-6h", to: "now", refresh: ["10s", "1m"] })).toEqual({
      ...DEFAULT_VIEW,
      range: { from: { kind: "now", offsetSeconds: 21600 }, to: { kind: "now", offsetSeconds: 0 } },
      refresh: "10s",
    });
  });
  it("shares a relative view as the same absolute window, without auto-refresh", () => {
    const shared = shareableView({ ...views[2]!, refresh: "30s", cluster: "c1" }, NOW);
    expect(shared).toEqual({
      range: { from: { kind: "absolute", ms: NOW - 6 * 3600_000 }, to: { kind: "absolute", ms: NOW } },
      refresh: "off",
      cluster: "c1",
      instance: "",
    });
    expect(serializeViewState(shared).toString()).toBe(`from=${NOW - 6 * 3600_000}&to=${NOW}&cluster=c1`);
  });
});

describe("audit selection in the URL", () => {
  it("round-trips grouping and filters, values with any characters included", () => {
    const sel: Selection = {
      group: ["resource", "client"],
      filters: { client: ["<img src=x onerror=alert(1)>", "kubelet"], verb: ["list"], resource: ["deployments.apps/scale"], code: ["429"] },
    };
    const qs = serializeSelection(sel).toString();
    expect(qs).toBe(
      "group=resource%2Cclient&client=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E&client=kubelet&verb=list&resource=deployments.apps%2Fscale&code=429",
    );
    expect(parseSelection(new URLSearchParams(qs))).toEqual(sel);
  });

  it("groups by client by default and leaves that out of the URL", () => {
    expect(parseSelection(new URLSearchParams(""))).toEqual(DEFAULT_SELECTION);
    expect(serializeSelection(DEFAULT_SELECTION).toString()).toBe("");
  });

  it("drops unknown and repeated dimensions, keeps at most three, and drops overlong values", () => {
    const sel = parseSelection(new URLSearchParams(`group=verb,bogus,verb,user,code,namespace&client=${"x".repeat(5000)}&client=ok&client=ok`));
    expect(sel).toEqual({ group: ["verb", "user", "code"], filters: { client: ["ok"] } });
  });

  it("adds and removes filter values", () => {
    const one = withFilter(DEFAULT_SELECTION, "client", "kubelet");
    expect(withFilter(one, "client", "kubelet")).toBe(one);
    const two = withFilter(one, "client", "scheduler");
    expect(two.filters).toEqual({ client: ["kubelet", "scheduler"] });
    expect(withoutFilter(withoutFilter(two, "client", "kubelet"), "client", "scheduler").filters).toEqual({});
  });
});

describe("webhook choice in the URL", () => {
  it("round-trips a webhook and refuses anything that is not a webhook name and type", () => {
    const choice = { name: "policy.example.com", type: "validating" as const };
    expect(parseWebhookChoice(serializeWebhookChoice(choice))).toEqual(choice);
    expect(serializeWebhookChoice(null).toString()).toBe("");
    expect(parseWebhookChoice(new URLSearchParams("webhook=Policy<x>&webhook_type=validating"))).toBeNull();
    expect(parseWebhookChoice(new URLSearchParams("webhook=policy.example.com&webhook_type=admit"))).toBeNull();
  });
});

describe("flat form settings in the URL", () => {
  const defaults = { shares: 5, mode: "Queue", allNamespaces: false };
  it("keeps only what differs from the defaults, and reads it back", () => {
    const value = { shares: 10, mode: "Reject", allNamespaces: true };
    const params = serializeFlat("apf", defaults, value);
    expect(params.toString()).toBe("apf.shares=10&apf.mode=Reject&apf.allNamespaces=1");
    expect(parseFlat(params, "apf", defaults, { mode: ["Queue", "Reject"] })).toEqual(value);
    expect(serializeFlat("apf", defaults, defaults).toString()).toBe("");
  });

  it("keeps the default for a value of the wrong kind, too long or not allowed", () => {
    const params = new URLSearchParams({ "apf.shares": "many", "apf.mode": "Drop", "apf.allNamespaces": "yes", other: "1" });
    expect(parseFlat(params, "apf", defaults, { mode: ["Queue", "Reject"] })).toEqual(defaults);
    expect(parseFlat(new URLSearchParams({ "apf.mode": "x".repeat(300) }), "apf", defaults).mode).toBe("Queue");
  });
});
