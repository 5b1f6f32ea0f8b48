import { keepPreviousData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { ERROR_RETRY_MS, refetchInterval, refetchPolicy, refreshMs } from "./refetch";

const state = (status: string) => ({ state: { status } });

describe("the refetch policy", () => {
  it("reads a view's auto-refresh choice", () => {
    expect(refreshMs("off")).toBe(false);
    expect(refreshMs("10s")).toBe(10_000);
    expect(refreshMs("1m")).toBe(60_000);
    expect(refreshMs("5m")).toBe(300_000);
  });

  it("refetches at the query's interval, and every 10 s while it fails, also when it would not refetch otherwise", () => {
    expect(ERROR_RETRY_MS).toBe(10_000);
    expect(refetchInterval(60_000)(state("success"))).toBe(60_000);
    expect(refetchInterval(false)(state("success"))).toBe(false);
    expect(refetchInterval(false)(state("pending"))).toBe(false);
    expect(refetchInterval(false)(state("error"))).toBe(ERROR_RETRY_MS);
    expect(refetchInterval(300_000)(state("error"))).toBe(ERROR_RETRY_MS);
  });

  it("keeps the previous answer on screen while the next loads", () => {
    const policy = refetchPolicy(30_000);
    expect(policy.placeholderData).toBe(keepPreviousData);
    expect(policy.refetchInterval(state("success"))).toBe(30_000);
  });

  it("can leave the previous answer out when it would mislead about the next", () => {
    const policy = refetchPolicy(false, false);
    expect(policy).not.toHaveProperty("placeholderData");
    expect(policy.refetchInterval(state("success"))).toBe(false);
    expect(policy.refetchInterval(state("error"))).toBe(ERROR_RETRY_MS);
  });
});
