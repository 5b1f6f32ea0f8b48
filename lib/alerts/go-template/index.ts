// Rule annotations (and templated label values) are Go text/template programs that Prometheus expands with its own
// functions (template/template.go) and the alert's data: `$labels`, `$value`, `$externalLabels`, `$externalURL`,
// the same fields on `.`, and `missingkey=zero`. Users edit them in the browser, so they are checked here the way
// Go's parser would reject them — plus mistakes that fail every expansion (unknown fields of the alert data, wrong
// argument counts) — and previewed by evaluating the common subset exactly as Go and Prometheus format it.
// Anything whose result depends on the server (query, externalURL without one given, now, …) is refused with
// "cannot be previewed" rather than guessed.
//
// Offsets are indices into the JavaScript string (UTF-16 code units), as the editor counts them.

export { checkTemplate, isTemplateFree } from "./check";
export { formatFloat } from "./float";
export { humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp } from "./humanize";
export { renderTemplate } from "./render";
export type { TemplateData } from "./types";
