import { describe, expect, it } from "vitest";
import { inlineRecords, recordsRead } from "./inline";
import { syntaxProblem } from "./promql-ast";
import type { RecordingRule } from "./rules";

const records: RecordingRule[] = [
  { record: "apiserver_request:burnrate1h", expr: 'sum(rate(x{verb="GET"}[1h]))', labels: { verb: "read" } },
  { record: "apiserver_request:burnrate1h", expr: 'sum(rate(x{verb="POST"}[1h]))', labels: { verb: "write" } },
  { record: "double", expr: "apiserver_request:burnrate1h * 2", labels: {} },
];

describe("inlining recording rules for a backtest", () => {
  it("replaces a recorded series by every rule that records it, with the rules' labels set", () => {
    const out = inlineRecords("sum by (cluster) (apiserver_request:burnrate1h) > 0.1", records);
    expect(syntaxProblem(out)).toBeNull();
    expect(out).toBe(
      'sum by (cluster) ((label_replace((sum(rate(x{verb="GET"}[1h]))\n), "verb", "read", "", "") or label_replace((sum(rate(x{verb="POST"}[1h]))\n), "verb", "write", "", ""))) > 0.1',
    );
  });

  it("keeps only the rules whose labels the selector's matchers accept", () => {
    const out = inlineRecords('apiserver_request:burnrate1h{verb=~"write|other"} > 1', records);
    expect(out).toContain('"write"');
    expect(out).not.toContain('"read"');
    expect(inlineRecords('apiserver_request:burnrate1h{verb="none"} > 1', records)).toBe("(vector(0) < 0) > 1");
  });

  it("inlines records built on records, and leaves other selectors alone", () => {
    const out = inlineRecords("double > 3 and on () up", records);
    expect(syntaxProblem(out)).toBeNull();
    expect(out).toContain("sum(rate(x{verb=\"GET\"}[1h]))");
    expect(out.endsWith("and on () up")).toBe(true);
  });

  it("refuses what it cannot decide: a filter on a label the rule does not set, a range over a recorded series, a regex to run", () => {
    // Never run: a regex like this one takes exponential time on a long enough value.
    expect(() => inlineRecords('apiserver_request:burnrate1h{verb=~"(a+)+$"} > 1', records)).toThrow(/regex apiscope does not evaluate/);
    expect(() => inlineRecords('apiserver_request:burnrate1h{cluster="a"} > 1', records)).toThrow(/cluster, which the recording rule does not set/);
    expect(() => inlineRecords("max_over_time(double[5m]) > 1", records)).toThrow(/over a range/);
  });
});

describe("inlining stays bounded", () => {
  it("inlines a record read many times once, and refuses a result that would be too long", () => {
    const big: RecordingRule[] = [{ record: "r", expr: `sum(rate(x{a="${"y".repeat(900)}"}[5m]))`, labels: {} }];
    const many = Array.from({ length: 200 }, () => "r").join(" + ");
    expect(() => inlineRecords(many, big)).toThrow(/longer than 100,000 characters/);
    expect(syntaxProblem(inlineRecords("r + r", big))).toBeNull();
  });

  it("ends a trailing comment of a recording rule before its closing parenthesis", () => {
    const out = inlineRecords("r > 1", [{ record: "r", expr: "sum(x) # total", labels: {} }]);
    expect(syntaxProblem(out)).toBeNull();
  });

  it("treats a dot in a regex as a regex, not as a literal", () => {
    expect(() => inlineRecords('r{code=~"5.."} > 1', [{ record: "r", expr: "x", labels: { code: "5xx" } }])).toThrow(/regex apiscope does not evaluate/);
  });

  it("sends only the recording rules an expression reads, through other records too", () => {
    const picked = recordsRead("double > 3", records).map((r) => r.record);
    expect(picked.sort()).toEqual(["apiserver_request:burnrate1h", "apiserver_request:burnrate1h", "double"]);
    expect(recordsRead("up == 0", records)).toEqual([]);
  });
});
