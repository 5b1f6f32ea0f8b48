import { describe, expect, it } from "vitest";
import { durationLiteralSeconds, metricNames, selectors, splitThreshold, syntaxProblem, unquote } from "./promql-ast";

// The fields a test states; from/to are positions checked separately.
const sel = (expr: string) => selectors(expr).map(({ text, metric, matchers, rangeSeconds, fn }) => ({ text, metric, matchers, rangeSeconds, fn }));

describe("selectors", () => {
  it("reads names, matchers and their operators", () => {
    expect(sel('http_requests_total{code!="200", method!~"GET|HEAD", job="api", path=~"/v1/.*"}')).toEqual([
      {
        text: 'http_requests_total{code!="200", method!~"GET|HEAD", job="api", path=~"/v1/.*"}',
        metric: "http_requests_total",
        matchers: [
          { name: "code", op: "!=", value: "200" },
          { name: "method", op: "!~", value: "GET|HEAD" },
          { name: "job", op: "=", value: "api" },
          { name: "path", op: "=~", value: "/v1/.*" },
        ],
        rangeSeconds: null,
        fn: "",
      },
    ]);
  });

  it("reads quoted label names and a quoted metric name (UTF-8 names)", () => {
    expect(sel('{"metric.name", "label.with.dots"="a", job=~"api.*"}')).toEqual([
      {
        text: '{"metric.name", "label.with.dots"="a", job=~"api.*"}',
        metric: "metric.name",
        matchers: [
          { name: "label.with.dots", op: "=", value: "a" },
          { name: "job", op: "=~", value: "api.*" },
        ],
        rangeSeconds: null,
        fn: "",
      },
    ]);
    expect(sel('{"__name__"="foo", job="a"}')[0]).toMatchObject({ metric: "foo", matchers: [{ name: "job", op: "=", value: "a" }] });
    expect(sel('{__name__="foo"}')[0]).toMatchObject({ metric: "foo", matchers: [] });
  });

  it("leaves the metric empty when a regex names it, keeping the matcher", () => {
    expect(sel('{__name__=~"etcd_.*"}')).toEqual([{ text: '{__name__=~"etcd_.*"}', metric: "", matchers: [{ name: "__name__", op: "=~", value: "etcd_.*" }], rangeSeconds: null, fn: "" }]);
  });

  it("reads ranges and the function around them, through offsets and @", () => {
    expect(sel("rate(x[5m] offset 1h)")).toEqual([{ text: "x", metric: "x", matchers: [], rangeSeconds: 300, fn: "rate" }]);
    expect(sel("rate(x[5m] @ end())")[0]).toMatchObject({ rangeSeconds: 300, fn: "rate" });
    expect(sel("increase(x[1h30m] offset -5m @ 1609746000)")[0]).toMatchObject({ rangeSeconds: 5400, fn: "increase" });
    expect(sel("rate((x[5m]))")[0]).toMatchObject({ rangeSeconds: 300, fn: "rate" });
    expect(sel("irate(x[90])")[0]).toMatchObject({ rangeSeconds: 90, fn: "irate" });
  });

  it("reads instant selectors with offsets and @ as instant", () => {
    expect(sel("x offset -5m")[0]).toMatchObject({ metric: "x", rangeSeconds: null, fn: "" });
    expect(sel("x @ 1609746000")[0]).toMatchObject({ rangeSeconds: null, fn: "" });
    expect(sel('x{a="b"} @ start() offset 5m')[0]).toMatchObject({ text: 'x{a="b"}', rangeSeconds: null, fn: "" });
  });

  it("reads subqueries: the window of a subquery directly around a selector, the range function of one inside", () => {
    expect(sel("avg_over_time(x[1h:])")).toEqual([{ text: "x", metric: "x", matchers: [], rangeSeconds: 3600, fn: "avg_over_time" }]);
    expect(sel('x{a="b"}[5m:1m] offset 1m')[0]).toMatchObject({ text: 'x{a="b"}', rangeSeconds: 300, fn: "" });
    expect(sel("max_over_time(rate(x[5m])[30m:1m])")[0]).toMatchObject({ rangeSeconds: 300, fn: "rate" });
  });

  it("gives the innermost function, and none through aggregations or operators", () => {
    expect(sel("sum by (job) (rate(x[5m])) / ignoring(code) group_left count(y)").map((s) => [s.metric, s.fn])).toEqual([
      ["x", "rate"],
      ["y", ""],
    ]);
    expect(sel("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))")[0]).toMatchObject({ fn: "rate" });
    expect(sel("histogram_quantile(0.9, x_bucket)")[0]).toMatchObject({ fn: "histogram_quantile" });
    expect(sel("abs(-x)")[0]).toMatchObject({ fn: "" });
  });

  it("says where each selector stands", () => {
    const expr = 'sum(rate(a{x="1"}[5m])) / b';
    expect(selectors(expr).map((s) => expr.slice(s.from, s.to))).toEqual(['a{x="1"}', "b"]);
  });

  it("never throws: invalid escapes, expressions too deep to parse", () => {
    expect(sel('x{a="\\UFFFFFFFF"}')[0]!.matchers).toEqual([{ name: "a", op: "=", value: "\uFFFD" }]);
    expect(selectors(`${"(".repeat(5000)}x${")".repeat(5000)}`)).toEqual([]);
    expect(selectors(`${"x+".repeat(5000)}1`)).toEqual([]);
  });

  it("lists the metric names read, once each", () => {
    expect(metricNames('rate(x[5m]) / rate(x[1h]) + y + {__name__=~"z.*"}')).toEqual(["x", "y"]);
  });
});

describe("unquote", () => {
  it.each([
    ['"a\\"b"', 'a"b'],
    ["'it\\'s'", "it's"],
    ["`raw\\n`", "raw\\n"],
    ['"\\n\\t\\r\\\\"', "\n\t\r\\"],
    ['"\\a\\b\\f\\v"', "\x07\b\f\v"],
    ['"\\u00e9"', "é"],
    ['"\\U0001F600"', "😀"],
    ['"\\x41"', "A"],
    ['"\\101"', "A"],
    ['"é"', "é"],
    ['""', ""],
  ])("reads %s", (literal, value) => {
    expect(unquote(literal)).toBe(value);
  });

  it("reads an escape that is no Unicode scalar as U+FFFD instead of throwing", () => {
    expect(unquote('"\\UFFFFFFFF"')).toBe("\uFFFD");
    expect(unquote('"\\U00110000"')).toBe("\uFFFD");
    expect(unquote('"\\uD800"')).toBe("\uFFFD");
  });
});

describe("durationLiteralSeconds", () => {
  it.each([
    ["5m", 300],
    ["1h30m", 5400],
    ["1d2h", 93600],
    ["2w", 1209600],
    ["1y", 31536000],
    ["500ms", 0.5],
    ["1m30s500ms", 90.5],
    ["90", 90],
    ["1.5", 1.5],
    ["0", 0],
    ["0s", 0],
  ])("reads %s as %d seconds", (text, seconds) => {
    expect(durationLiteralSeconds(text)).toBe(seconds);
  });

  it.each(["", "m", "5x", "1.5h", "-5m", "1m5", "30m1h", "1h1h", "5 m"])("refuses %j", (text) => {
    expect(durationLiteralSeconds(text)).toBeNull();
  });
});

describe("splitThreshold", () => {
  it.each([
    ["x > 1", { lhs: "x", op: ">", value: 1 }],
    ["(x > (2))", { lhs: "x", op: ">", value: 2 }],
    ["((x >= 0.5))", { lhs: "x", op: ">=", value: 0.5 }],
    ["x > -1", { lhs: "x", op: ">", value: -1 }],
    ["x > - 2", { lhs: "x", op: ">", value: -2 }],
    ["x > -(2)", { lhs: "x", op: ">", value: -2 }],
    ["-x < -1", { lhs: "-x", op: "<", value: -1 }],
    ["x <= 1e3", { lhs: "x", op: "<=", value: 1000 }],
    ["x != 0x1f", { lhs: "x", op: "!=", value: 31 }],
    ["x == +1", { lhs: "x", op: "==", value: 1 }],
    ["x > on() 1", { lhs: "x", op: ">", value: 1 }],
    ["sum(rate(a[5m])) / sum(rate(b[5m])) > 0.1", { lhs: "sum(rate(a[5m])) / sum(rate(b[5m]))", op: ">", value: 0.1 }],
    ["# why\nx > 1", { lhs: "x", op: ">", value: 1 }],
    ["x > 1 # why", { lhs: "x", op: ">", value: 1 }],
    ["(\n  x # why\n  > 3\n)", { lhs: "x", op: ">", value: 3 }],
  ])("splits %j", (expr, threshold) => {
    expect(splitThreshold(expr)).toEqual(threshold);
  });

  it.each(["x > bool 1", "x and y > 1", "x > 1 unless y", "x > y", "1 < x", "absent(x)", "x > Inf", "rate(x[5m]", "x > 5m"])("does not split %j", (expr) => {
    expect(splitThreshold(expr)).toBeNull();
  });
});

describe("syntaxProblem", () => {
  it("accepts valid expressions, comments included", () => {
    for (const expr of ["up == 0", "up == 0\n# why", 'sum by (job) (rate(x{a="b"}[5m])) / on() group_left sum(y) > 0.1', "x @ start() offset 5m", "max_over_time(x[5m:])", '{"metric.name"}'])
      expect(syntaxProblem(expr)).toBeNull();
  });

  it.each([
    ["rate(x[5m]", { from: 10, to: 11, message: "the expression ends too early" }],
    ["up\n  and\n  on() vector(1) +", { from: 27, to: 28, message: "the expression ends too early" }],
    ['sum(rate(x{a="b"[5m]))', { from: 16, to: 17, message: 'unexpected input near "te(x{a=\\"b\\"[5m]))"' }],
    ["foo(x)", { from: 3, to: 4, message: 'unexpected input near "foo(x)"' }],
    ["1 +* 2", { from: 3, to: 4, message: 'unexpected input near "1 +* 2"' }],
    ["sum by (a b) (x)", { from: 10, to: 11, message: 'unexpected input near "sum by (a b) (x)"' }],
    ['x{a="b" c="d"}', { from: 8, to: 9, message: 'unexpected input near "x{a=\\"b\\" c=\\"d\\"}"' }],
    ["rate(x[1.5m])", { from: 10, to: 11, message: 'unexpected input near "rate(x[1.5m])"' }],
  ])("gives the position of the first error in %j", (expr, problem) => {
    expect(syntaxProblem(expr)).toEqual(problem);
  });

  it("refuses empty, overlong and too deeply nested expressions without parsing them", () => {
    expect(syntaxProblem("  ")).toEqual({ from: 0, to: 0, message: "the expression is empty" });
    expect(syntaxProblem("x".repeat(20_001))).toEqual({ from: 0, to: 20_001, message: "the expression is longer than 20000 characters" });
    expect(syntaxProblem(`${"(".repeat(600)}x${")".repeat(600)}`)).toMatchObject({ message: "the expression nests or chains more than 500 brackets and operators" });
    expect(syntaxProblem(`${"x + ".repeat(600)}1`)).toMatchObject({ message: /more than 500/ });
    // Brackets and operators inside strings and matchers do not count.
    expect(syntaxProblem(`x{a=~"${"(".repeat(600)}", b!="${"-".repeat(600)}"}`)).toBeNull();
    // A chain of 200 `or` parses (the parser gives up on left-associative chains of about 270 and more).
    expect(syntaxProblem(`${Array.from({ length: 200 }, (_, i) => `up{job="j${i}"}`).join(" or ")}`)).toBeNull();
  });

  it("stops at the first error, so 20,000 characters of garbage take milliseconds", () => {
    for (const garbage of [")".repeat(19_999), ",".repeat(19_999), "1 ".repeat(9_999), '"'.repeat(19_999), "{".repeat(19_999)]) {
      const start = performance.now();
      expect(syntaxProblem(garbage)).not.toBeNull();
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });
});
