import { matchQuery, QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, type ViewState } from "../url-state";
import { auditParams } from "./api";
import { queryKeys } from "./keys";

const view: ViewState = { ...DEFAULT_VIEW, cluster: "prod", instance: "10.0.0.1:6443" };
const adHoc = { promql: "sum(up)", title: "Up", unit: "count" as const, description: "" };
/** Whether invalidating `prefix` reaches the query with `key`, as TanStack Query decides it. */
const covers = (prefix: readonly unknown[], key: readonly unknown[]) => {
  const client = new QueryClient();
  const query = client.getQueryCache().build(client, { queryKey: key });
  return matchQuery({ queryKey: prefix }, query);
};

describe("query keys", () => {
  it("leave out the auto-refresh choice, so changing it refetches nothing", () => {
    expect(queryKeys.panel("cpu", { ...view, refresh: "30s" }, 800)).toEqual(queryKeys.panel("cpu", view, 800));
    expect(queryKeys.webhooks({ ...view, refresh: "1m" })).toEqual(queryKeys.webhooks(view));
    expect(queryKeys.adHocPanel(adHoc, { ...view, refresh: "10s" }, 800)).toEqual(queryKeys.adHocPanel(adHoc, view, 800));
  });

  it("tell apart what changes an answer: panel, window, width, parameters, targets", () => {
    expect(queryKeys.panel("cpu", view, 800)).not.toEqual(queryKeys.panel("cpu", view, 900));
    expect(queryKeys.panel("webhook-calls", view, 800, { webhook: "a" })).not.toEqual(queryKeys.panel("webhook-calls", view, 800, { webhook: "b" }));
    expect(queryKeys.panel("cpu", view, 800)).not.toEqual(queryKeys.panel("cpu", { ...view, cluster: "" }, 800));
    // The targets list is of the cluster's instances; an ad-hoc expression is drawn as written, whatever the targets.
    expect(queryKeys.targets(view)).toEqual(queryKeys.targets({ ...view, instance: "" }));
    expect(queryKeys.adHocPanel(adHoc, view, 800)).toEqual(queryKeys.adHocPanel(adHoc, DEFAULT_VIEW, 800));
    expect(queryKeys.adHocPanel(adHoc, view, 800)).not.toEqual(queryKeys.adHocPanel({ ...adHoc, legend: "{{job}}" }, view, 800));
  });

  it("put every Prometheus panel under one prefix (Refresh now) and every audit answer under another (uploads)", () => {
    expect(covers(queryKeys.panels(), queryKeys.panel("cpu", view, 800))).toBe(true);
    expect(covers(queryKeys.panels(), queryKeys.adHocPanel(adHoc, view, 800))).toBe(true);
    expect(covers(queryKeys.panels(), queryKeys.webhooks(view))).toBe(false);
    expect(covers(queryKeys.audit(), queryKeys.auditStatus())).toBe(true);
    expect(covers(queryKeys.audit(), queryKeys.auditQuery("breakdown", auditParams(view, { group: ["client"], filters: {} })))).toBe(true);
    expect(covers(queryKeys.audit(), queryKeys.apfStatus(view))).toBe(false);
  });
});
