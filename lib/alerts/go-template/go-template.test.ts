import { describe, expect, it } from "vitest";
import {
  checkTemplate,
  formatFloat,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  isTemplateFree,
  renderTemplate,
  type TemplateData,
} from ".";

const DATA: TemplateData = {
  labels: { job: "apiserver", instance: "cp-1.example.com:6443", priority_level: "workload-low", verb: "LIST", empty: "" },
  value: 1234567,
  externalLabels: { cluster: "prod-eu" },
};

const render = (text: string, data: Partial<TemplateData> = {}) => renderTemplate(text, { ...DATA, ...data });
const text = (t: string, data: Partial<TemplateData> = {}) => {
  const r = render(t, data);
  if (!r.ok) throw new Error(`${t}: ${r.message}`);
  return r.text;
};

// Expected strings below are what Prometheus 2.42 (promtool test rules) expands the same templates to.
describe("Prometheus' humanize functions, formatted exactly", () => {
  it.each([
    [1234567, "1.235M"],
    [0.000123, "123u"],
    [-1234, "-1.234k"],
    [0, "0"],
    [999.95, "1000"],
    [1e27, "1000Y"],
    [1.5, "1.5"],
  ])("humanize(%s) = %s", (v, want) => {
    expect(humanize(v)).toBe(want);
    expect(text("{{ $value | humanize }}", { value: v })).toBe(want);
  });

  it.each([
    [1048576, "1Mi"],
    [1536, "1.5ki"],
    [1, "1"],
    [-2048, "-2ki"],
    [0.5, "0.5"],
  ])("humanize1024(%s) = %s", (v, want) => expect(humanize1024(v)).toBe(want));

  it.each([
    [0.1234, "12.34%"],
    [1, "100%"],
    [0.000015, "0.0015%"],
    [12.3456, "1235%"],
  ])("humanizePercentage(%s) = %s", (v, want) => expect(humanizePercentage(v)).toBe(want));

  it.each([
    [90, "1m 30s"],
    [0.0015, "1.5ms"],
    [86400.5, "1d 0h 0m 0s"],
    [3599.9, "59m 59s"],
    [0, "0s"],
    [59.999, "60s"],
    [-0.25, "-250ms"],
    [-90.5, "-1m 30s"],
    [93784, "1d 2h 3m 4s"],
  ])("humanizeDuration(%s) = %s", (v, want) => expect(humanizeDuration(v)).toBe(want));

  it.each([
    [1700000000, "2023-11-14 22:13:20 +0000 UTC"],
    [1234567.123, "1970-01-15 06:56:07.123 +0000 UTC"],
    [-1.5, "1969-12-31 23:59:58.5 +0000 UTC"],
  ])("humanizeTimestamp(%s) = %s", (v, want) => expect(humanizeTimestamp(v)).toBe(want));

  it("accepts numbers in strings, as Prometheus does, and refuses other text", () => {
    expect(text('{{ humanize "1234" }}')).toBe("1.234k");
    const r = render('{{ humanize "abc" }}');
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining("invalid syntax") });
  });
});

describe("Go's number formatting", () => {
  it("rounds printf's %.Nf on the exact binary value, ties to even", () => {
    expect(text('{{ printf "%.2f" 2.675 }}|{{ printf "%.0f" 0.5 }}|{{ printf "%.0f" 1.5 }}|{{ printf "%.0f" 2.5 }}')).toBe("2.67|0|2|2");
    expect(text('{{ printf "%.1f" 0.25 }}|{{ printf "%.1f" 0.35 }}|{{ printf "%.2f" 1.005 }}|{{ printf "%.1f" 0.05 }}')).toBe("0.2|0.3|1.00|0.1");
  });

  it("prints values with %v as Go does: shortest digits, exponent from 1e+06", () => {
    expect(text("{{ $value }}")).toBe("1.234567e+06");
    expect(text("{{ $value }}", { value: 123456 })).toBe("123456");
    expect(text("{{ $value }}", { value: 0.0001 })).toBe("0.0001");
    expect(text("{{ $value }}", { value: 0.00001 })).toBe("1e-05");
    expect(formatFloat(1e21, "g", -1)).toBe("1e+21");
    expect(formatFloat(NaN, "g", -1)).toBe("NaN");
    expect(formatFloat(-Infinity, "g", 4)).toBe("-Inf");
  });

  it("formats the printf verbs annotations use", () => {
    expect(text('{{ printf "%.2f %d %s %v %q %g %.3g %e" 3.14159 42 "api" 1e6 "a\\"b" 0.00001 1234567.0 1234.5 }}')).toBe(
      '3.14 42 api 1e+06 "a\\"b" 1e-05 1.23e+06 1.234500e+03',
    );
    expect(text('{{ printf "%8.3f|%-6d|%06d|%+d|%5s|%-5s|%.2s" 3.14159 42 42 42 "ab" "ab" "abc" }}')).toBe("   3.142|42    |000042|+42|   ab|ab   |ab");
    expect(text('{{ $value | printf "%.1f" }}')).toBe("1234567.0");
  });

  it("reports wrong, missing and extra arguments the way Go prints them", () => {
    expect(text('{{ printf "%d %s" 1.5 3 }}|{{ printf "%d" }}|{{ printf "%s" "a" "b" }}')).toBe("%!d(float64=1.5) %!s(int=3)|%!d(MISSING)|a%!(EXTRA string=b)");
  });
});

describe("rendering", () => {
  it("reads labels, the value and external labels through variables and fields", () => {
    expect(text("{{ $labels.job }} {{ .Labels.verb }} {{ $.Labels.priority_level }} {{ $externalLabels.cluster }} {{ .Value }}")).toBe(
      "apiserver LIST workload-low prod-eu 1.234567e+06",
    );
    expect(text('{{ index $labels "job" }}|{{ $labels.missing }}|{{ index $labels "missing" }}')).toBe("apiserver||");
  });

  it("evaluates if/else if/else with comparisons, and/or/not and Go's truthiness", () => {
    const t = '{{ if gt $value 1e6 }}huge{{ else if and (gt $value 0.0) (ne $labels.verb "WATCH") }}some{{ else }}none{{ end }}';
    expect(text(t)).toBe("huge");
    expect(text(t, { value: 5 })).toBe("some");
    expect(text(t, { value: 0 })).toBe("none");
    expect(text('{{ if $labels.empty }}set{{ else }}unset{{ end }}|{{ if not $labels.missing }}absent{{ end }}|{{ or "" "fallback" }}')).toBe("unset|absent|fallback");
  });

  it("fails like Go when a number is compared with an integer literal", () => {
    expect(render("{{ if gt $value 1 }}x{{ end }}")).toMatchObject({ ok: false, message: expect.stringContaining("incompatible types for comparison") });
  });

  it("ranges over labels in key order, with with/else, break and continue", () => {
    expect(text("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}")).toBe(
      "instance=cp-1.example.com:6443;job=apiserver;priority_level=workload-low;verb=LIST;",
    );
    expect(text('{{ range $k, $v := $labels }}{{ if eq $k "job" }}{{ continue }}{{ end }}{{ if eq $k "verb" }}{{ break }}{{ end }}{{ $k }} {{ end }}')).toBe(
      "instance priority_level ",
    );
    expect(text("{{ with $labels.verb }}verb {{ . }}{{ else }}no verb{{ end }}|{{ with $labels.missing }}x{{ else }}none{{ end }}")).toBe("verb LIST|none");
  });

  it("implements the string functions", () => {
    expect(text('{{ $labels.verb | toLower | title }}|{{ toUpper "workload-low" }}|{{ title "it\'s a_b" }}')).toBe("List|WORKLOAD-LOW|It'S A_b");
    expect(text('{{ reReplaceAll "(.*)-(low|high)" "$2/$1" $labels.priority_level }}|{{ reReplaceAll "b*" "-" "abc" }}')).toBe("low/workload|-a-c-");
    expect(text('{{ reReplaceAll "(?:cp|node)-(\\\\d+)\\\\..*" "#$1" $labels.instance }}|{{ reReplaceAll "[[:punct:]]+" "_" "a-b.c" }}|{{ reReplaceAll "(?i)LIST" "l" $labels.verb }}')).toBe("#1|a_b_c|l");
    expect(text('{{ match "^work" $labels.priority_level }}|{{ stripPort $labels.instance }}|{{ stripDomain $labels.instance }}')).toBe("true|cp-1.example.com|cp-1:6443");
    expect(text('{{ parseDuration "1h30m" }}|{{ len $labels }}|{{ js "a\'b<" }}|{{ html "<a&b>" }}|{{ urlquery "a b&c" }}')).toBe("5400|4|a\\'b\\u003C|&lt;a&amp;b&gt;|a+b%26c");
    expect(text('{{ graphLink "rate(x[5m]) > 0" }}')).toBe("/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+0&g0.tab=0");
  });

  it("applies trim markers and drops comments", () => {
    expect(text('a  {{- "b" -}}  c {{/* note */}}d {{- /* note */ -}} e')).toBe("abc de");
  });

  it("refuses what depends on the server rather than guessing", () => {
    for (const t of ['{{ query "up" | first | value }}', "{{ $externalURL }}", "{{ externalURL }}", "{{ .ExternalURL }}"]) {
      expect(render(t)).toMatchObject({ ok: false, message: expect.stringContaining("cannot be previewed") });
    }
    expect(text("{{ $externalURL }}{{ pathPrefix }}", { externalURL: "https://prom.example.com/prometheus" })).toBe("https://prom.example.com/prometheus/prometheus");
  });

  it("stops a preview whose output would explode", () => {
    const nest = "{{ range $labels }}".repeat(12) + "x" + "{{ end }}".repeat(12);
    expect(render(nest)).toMatchObject({ ok: false, message: expect.stringContaining("too large") });
  });
});

describe("checking templates", () => {
  it.each([
    "plain text, no actions",
    "{{ $labels.job }} is slow: {{ $value | humanize }} req/s",
    '{{ printf "%.2f" $value }}%',
    '{{ if eq $labels.verb "LIST" }}list{{ else if eq $labels.verb "WATCH" }}watch{{ else }}other{{ end }}',
    "{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}",
    "{{ with $labels.priority_level }}{{ . }}{{ end }}",
    '{{- /* a comment */ -}} {{ index $labels "priority-level" }}',
    "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
    '{{ "}}" }} {{ `raw {{ text` }}',
    '{{ query "up" | first | value | humanize }}',
    "{{ .Value | humanize }} {{ $.Labels.job }} {{ $externalURL }}",
    "{{ $value | }}",
  ])("accepts %s", (t) => expect(checkTemplate(t)).toEqual({ ok: true }));

  it.each([
    ["{{ $labels.job", 0, /unclosed action/],
    ["ok {{ if true }}x", 3, /unclosed \{\{if\}\}/],
    ["{{ range $labels }}x{{ else }}y", 0, /unclosed/],
    ["x {{ end }}", 5, /unexpected \{\{end\}\}/],
    ["{{ else }}", 3, /unexpected \{\{else\}\}/],
    ['{{ "abc }}', 3, /unterminated quoted string/],
    ["{{ `abc }}", 3, /unterminated raw quoted string/],
    ["{{ humanise $value }}", 3, /function "humanise" not defined/],
    ["{{ $lables.job }}", 3, /undefined variable \$lables/],
    ['{{ define "x" }}y{{ end }}', 3, /define/],
    ['{{ template "x" }}', 3, /template/],
    ['{{ block "x" . }}y{{ end }}', 3, /block/],
    ['{{ tmpl "x" . }}', 3, /console templates/],
    ["{{ $labels.foo-bar }}", 14, /bad character "-"/],
    ["{{ .Lables.job }}", 3, /no field \.Lables/],
    ["{{ humanize $value 2 }}", 3, /wrong number of arguments for humanize/],
    ["{{ 1 | 2 }}", 7, /non executable command/],
    ["{{ }}", 3, /missing value for command/],
    ["{{ (humanize $value }}", 20, /unclosed left parenthesis/],
    ["{{/* note */ x }}", 10, /comment must end/],
    ["{{ break }}", 3, /outside \{\{range\}\}/],
    ["{{ with $labels.a }}a{{ else with $labels.b }}b{{ end }}", 29, /else with/],
    ['{{ "\\q" }}', 4, /invalid escape/],
  ])("rejects %s at offset %i", (t, offset, message) => {
    const r = checkTemplate(t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    expect(r.offset).toBe(offset);
  });

  it("reports parse errors from renderTemplate too", () => {
    expect(renderTemplate("{{ nope }}", DATA)).toEqual({ ok: false, message: 'function "nope" not defined', offset: 3 });
  });
});

describe("literal text in templates", () => {
  const HOSTILE = [
    "{{ query `count(up)` }}",
    "{{",
    "}}{{",
    "{{{{{",
    "a{{-b-}}c",
    '{{ "{{" }}',
    "{{/* */}}",
    "$labels {{$value}} {{ .Labels }}",
    "{{- \n -}}",
    "ends with {",
    "{{ define \"x\" }}{{ end }}{{ template \"x\" }}",
    "\u202e{{ $value }}\u0000",
  ];

  it("isTemplateFree says whether a string holds an action", () => {
    expect(isTemplateFree("plain } { text }}")).toBe(true);
    for (const h of HOSTILE.filter((h) => h.includes("{{"))) expect(isTemplateFree(h)).toBe(false);
  });

  it("never expands template syntax that arrives in label values", () => {
    const labels = { pod: '{{ query "secret" }}', ns: "{{ $value }}" };
    expect(text("{{ $labels.pod }} / {{ $labels.ns }}", { labels })).toBe('{{ query "secret" }} / {{ $value }}');
  });
});

describe("functions a Prometheus 2 server does not know", () => {
  it.each(["{{ now }}", '{{ toDuration 5 }}'])("refuses %s, naming the version", (t) => {
    const r = checkTemplate(t);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/Prometheus 3/);
  });
});
