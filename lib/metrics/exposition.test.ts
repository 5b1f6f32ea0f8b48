// apiscope's /metrics text: label values come from audit logs (user agents) and may hold anything; the output
// must stay valid Prometheus text format, checked here against the format's rules and Prometheus' own parser
// (promtool).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROMTOOL_BIN } from "@/scripts/lib/prometheus";
import { escapeLabelValue, renderExposition, type MetricFamily } from "./exposition";

/** Hostile client names: quotes, backslashes, newlines, braces, label syntax, non-ASCII. */
const HOSTILE = [
  'evil"} 1\nfake_metric{a="b',
  "C:\\agent\\bin\\",
  'quote"back\\slash\nnewline',
  "\\n is not a newline",
  "tab\there, carriage\rreturn",
  "ünïcødé/漢字 🚀",
  "",
];

/** promtool's verdict on an exposition: exit code and what it printed. */
function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL_BIN, ["check", "metrics"], { input: text, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("escaping label values", () => {
  it("escapes backslash, double quote and line feed, and nothing else", () => {
    // The text format: \ → \\, " → \", LF → \n (backslash first, so no escape is escaped twice).
    expect(escapeLabelValue("a\\b")).toBe("a\\\\b");
    expect(escapeLabelValue('a"b')).toBe('a\\"b');
    expect(escapeLabelValue("a\nb")).toBe("a\\nb");
    expect(escapeLabelValue('\\"\n')).toBe('\\\\\\"\\n');
    expect(escapeLabelValue("\\n")).toBe("\\\\n");
    expect(escapeLabelValue("tab\t, cr\r, ünïcødé 🚀")).toBe("tab\t, cr\r, ünïcødé 🚀");
  });

  it("keeps every escaped value on one line and inside its quotes", () => {
    for (const name of HOSTILE) {
      const escaped = escapeLabelValue(name);
      expect(escaped).not.toContain("\n");
      // Every quote inside is escaped: an odd number of backslashes precedes it.
      for (const m of escaped.matchAll(/(\\*)"/g)) expect(m[1]!.length % 2).toBe(1);
    }
  });
});

describe("rendering the exposition", () => {
  const families: MetricFamily[] = [
    {
      name: "apiscope_audit_requests_total",
      help: "Requests by client.\nSecond line with a \\ backslash.",
      type: "counter",
      samples: HOSTILE.map((client, i) => ({ labels: { client, verb: "list" }, value: i + 1 })),
    },
    {
      name: "apiscope_audit_request_duration_seconds",
      help: "Latency.",
      type: "histogram",
      samples: [
        { suffix: "_bucket", labels: { client: HOSTILE[0]!, le: "0.5" }, value: 1 },
        { suffix: "_bucket", labels: { client: HOSTILE[0]!, le: "+Inf" }, value: 2 },
        { suffix: "_sum", labels: { client: HOSTILE[0]! }, value: 0.75 },
        { suffix: "_count", labels: { client: HOSTILE[0]! }, value: 2 },
      ],
    },
    { name: "apiscope_things", help: "Values that are not finite.", type: "gauge", samples: [{ labels: {}, value: Infinity }, { labels: { a: "1" }, value: -Infinity }, { labels: { a: "2" }, value: NaN }] },
  ];
  const text = renderExposition(families);

  it("writes HELP and TYPE, one sample per line, and ends with a newline", () => {
    const lines = text.split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe("# HELP apiscope_audit_requests_total Requests by client.\\nSecond line with a \\\\ backslash.");
    expect(lines[1]).toBe("# TYPE apiscope_audit_requests_total counter");
    expect(lines[2]).toBe(`apiscope_audit_requests_total{client="evil\\"} 1\\nfake_metric{a=\\"b",verb="list"} 1`);
    expect(lines.filter((l) => !l.startsWith("#") && l !== "")).toHaveLength(HOSTILE.length + 4 + 3);
    expect(text).toContain('apiscope_audit_request_duration_seconds_bucket{client="evil\\"} 1\\nfake_metric{a=\\"b",le="+Inf"} 2\n');
    expect(text).toContain("apiscope_things +Inf\napiscope_things{a=\"1\"} -Inf\napiscope_things{a=\"2\"} NaN\n");
  });

  it("is accepted by Prometheus' parser (promtool check metrics) whatever the client names", () => {
    const r = promtoolCheck(renderExposition(families.slice(0, 2)));
    expect(r, r.output).toEqual({ status: 0, output: "" });
  });

  it("would not be, without escaping (the check has teeth)", () => {
    const raw = `# HELP x_total X.\n# TYPE x_total counter\nx_total{client="${HOSTILE[0]}"} 1\n`;
    expect(promtoolCheck(raw).status).not.toBe(0);
  });
});
