// How checking and previewing fail: a parse error with its offset, an expansion the preview cannot reproduce, and
// an expansion error Prometheus would report.

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** An expansion Prometheus would make but this preview cannot reproduce. */
export class NoPreview extends Error {}

export function fail(message: string, offset: number): never {
  throw new TemplateError(message, offset);
}

/** An expansion error Prometheus would report (the annotation becomes "<error expanding template: …>"). */
export class ExecError extends Error {}
