import { describe, expect, it } from "vitest";
import { escapeRegex, formatMatchers, parseMatchers, quoteLabelValue, selector } from "./promql";

describe("PromQL building", () => {
  it("quotes hostile label values so they stay one string", () => {
    expect(quoteLabelValue('a"b')).toBe('"a\\"b"');
    expect(quoteLabelValue("a\\b")).toBe('"a\\\\b"');
    expect(quoteLabelValue("x\"} or vector(1) #\n")).toBe('"x\\"} or vector(1) #\\n"');
    expect(JSON.parse(quoteLabelValue('tricky "\\ \n value'))).toBe('tricky "\\ \n value');
  });
  it("refuses invalid label names", () => {
    expect(() => formatMatchers([{ name: "bad-name", op: "=", value: "x" }])).toThrow(/invalid label name/);
    expect(formatMatchers([{ name: "job", op: "=~", value: "api.*" }, { name: "instance", op: "!=", value: "" }])).toBe('job=~"api.*",instance!=""');
  });
  it("escapes regex metacharacters for literal matching", () => {
    expect(escapeRegex("kubectl/v1.29 (linux)")).toBe("kubectl/v1\\.29 \\(linux\\)");
  });
  it("builds selectors with and without matchers", () => {
    expect(selector("up", "")).toBe("up");
    expect(selector("up", 'job="a"', 'instance="b"')).toBe('up{instance="b",job="a"}');
  });
  it("parses the API server selector setting", () => {
    expect(parseMatchers('job="apiserver"')).toEqual([{ name: "job", op: "=", value: "apiserver" }]);
    expect(parseMatchers(' {job=~"apiserver|kube-apiserver", env != "dev"} ')).toEqual([
      { name: "job", op: "=~", value: "apiserver|kube-apiserver" },
      { name: "env", op: "!=", value: "dev" },
    ]);
    expect(parseMatchers('name="with \\"quote\\""')).toEqual([{ name: "name", op: "=", value: 'with "quote"' }]);
    expect(parseMatchers("")).toEqual([]);
    for (const bad of ["job=apiserver", 'job="a" or up', '1job="a"', 'job="a",,', 'job="\\q"']) {
      expect(typeof parseMatchers(bad), bad).toBe("string");
    }
  });
});
