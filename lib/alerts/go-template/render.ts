// Public preview

import { ExecError, NoPreview, TemplateError } from "./errors";
import { BreakSignal, ContinueSignal, Exec } from "./exec";
import { type Node, parseTemplate } from "./parse";
import type { TemplateData, TemplateRender } from "./types";

/** The template's expansion for one alert, as Prometheus would produce it, or why there is none. */
export function renderTemplate(text: string, data: TemplateData): TemplateRender {
  let nodes: Node[];
  try {
    nodes = parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
  try {
    return { ok: true, text: new Exec(data).run(nodes) };
  } catch (e) {
    if (e instanceof NoPreview) return { ok: false, message: e.message.includes("cannot be previewed") ? e.message : `${e.message}: cannot be previewed` };
    if (e instanceof ExecError) return { ok: false, message: `error expanding the template: ${e.message}` };
    if (e instanceof BreakSignal || e instanceof ContinueSignal) return { ok: false, message: "break or continue outside range" };
    throw e;
  }
}
