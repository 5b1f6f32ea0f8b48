// HTML tooltips for ECharts, with every name escaped: series names can come from audit logs.
import { escapeHtml } from "@/lib/escape";

export interface TooltipRow {
  color: string;
  name: string;
  value: string;
}

const SAFE_COLOR = /^#[0-9a-fA-F]{3,8}$/;

export function tooltipHtml(title: string, rows: TooltipRow[]): string {
  const lines = rows.map((r) => {
    const color = SAFE_COLOR.test(r.color) ? r.color : "#888888";
    return (
      `<div style="display:flex;gap:8px;align-items:center;justify-content:space-between">` +
      `<span style="display:flex;gap:6px;align-items:center;max-width:420px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">` +
      `<span style="display:inline-block;width:8px;height:8px;border-radius:2px;background:${color}"></span>${escapeHtml(r.name)}</span>` +
      `<b style="font-variant-numeric:tabular-nums">${escapeHtml(r.value)}</b></div>`
    );
  });
  return `<div style="font-size:12px;line-height:1.5"><div style="opacity:.75;margin-bottom:2px">${escapeHtml(title)}</div>${lines.join("")}</div>`;
}
