// The public shapes: what a check and a preview return, and the alert data a preview expands.

export type TemplateCheck = { ok: true } | { ok: false; message: string; offset: number };
export type TemplateRender = { ok: true; text: string } | { ok: false; message: string; offset?: number };

export interface TemplateData {
  labels: Record<string, string>;
  value: number;
  externalLabels?: Record<string, string>;
  /** Prometheus' --web.external-url; without it `$externalURL`, externalURL and pathPrefix cannot be previewed. */
  externalURL?: string;
}
