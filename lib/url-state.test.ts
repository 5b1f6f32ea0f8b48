import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, parseViewState, serializeViewState, shareableView, viewStateEquals, type ViewState } from "./url-state";

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
  it("compares views by their URL", () => {
    expect(viewStateEquals(views[1]!, { ...DEFAULT_VIEW, refresh: "30s" })).toBe(true);
    expect(viewStateEquals(views[0]!, views[1]!)).toBe(false);
  });
});
