// Public checks

import { TemplateError } from "./errors";
import { parseTemplate } from "./parse";
import type { TemplateCheck } from "./types";

/** Whether Prometheus would accept the template, and where it would not. */
export function checkTemplate(text: string): TemplateCheck {
  try {
    parseTemplate(text);
    return { ok: true };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}

/** True when the text holds no action: Prometheus expands it to itself. */
export function isTemplateFree(text: string): boolean {
  return !text.includes("{{");
}
