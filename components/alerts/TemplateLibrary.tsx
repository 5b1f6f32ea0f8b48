"use client";
// The template library: browsed by area, searched, and filtered to what the connected Prometheus can evaluate.
import { useMemo, useState } from "react";
import { TEMPLATES, defaultParams, buildAlert } from "@/lib/alerts/templates";
import { AREAS, type Area, type TemplateContext } from "@/lib/alerts/templates/types";

const input = "rounded border border-slate-300 bg-transparent px-1 py-0.5 text-sm dark:border-slate-700";

/** Which metrics a template lacks in this Prometheus ([] when it can be evaluated or when that is unknown). */
function missingFor(id: string, ctx: TemplateContext): string[] {
  const t = TEMPLATES.find((x) => x.id === id)!;
  const built = buildAlert(t, defaultParams(t, ctx), ctx, { for: t.for, keepFiringFor: t.keepFiringFor, severity: t.severity, labels: {} });
  return built.ok ? [] : built.missing;
}

export function TemplateLibrary({ ctx, onAdd }: { ctx: TemplateContext; onAdd: (templateId: string) => void }) {
  const [search, setSearch] = useState("");
  const [area, setArea] = useState<Area | "all">("all");
  const [evaluable, setEvaluable] = useState(false);
  const missing = useMemo(() => new Map(TEMPLATES.map((t) => [t.id, missingFor(t.id, ctx)])), [ctx]);
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = TEMPLATES.filter(
    (t) =>
      (area === "all" || t.area === area) &&
      (!evaluable || missing.get(t.id)!.length === 0) &&
      words.every((w) => `${t.title} ${t.alert} ${t.summary} ${t.area}`.toLowerCase().includes(w)),
  );
  return (
    <section className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="template-library" aria-label="Alert templates">
      <h2 className="text-sm font-semibold">Templates ({TEMPLATES.length})</h2>
      <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search templates" className={input} data-testid="template-search" aria-label="Search templates" />
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <select value={area} onChange={(e) => setArea(e.target.value as Area | "all")} className={input} data-testid="template-area" aria-label="Area">
          <option value="all">All areas</option>
          {AREAS.map((a) => (
            <option key={a.id} value={a.id}>
              {a.title}
            </option>
          ))}
        </select>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={evaluable} onChange={(e) => setEvaluable(e.target.checked)} data-testid="template-evaluable" disabled={ctx.names === null} />
          only what this Prometheus can evaluate
        </label>
      </div>
      <ul className="flex max-h-[40rem] flex-col gap-1 overflow-auto">
        {AREAS.filter((a) => shown.some((t) => t.area === a.id)).map((a) => (
          <li key={a.id}>
            <h3 className="mt-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{a.title}</h3>
            <ul>
              {shown
                .filter((t) => t.area === a.id)
                .map((t) => {
                  const lacks = missing.get(t.id)!;
                  return (
                    <li key={t.id} className="flex items-start gap-2 border-b border-slate-100 py-1 dark:border-slate-800" data-template={t.id} data-evaluable={lacks.length === 0}>
                      <div className="min-w-0 flex-1">
                        <p className="text-sm">{t.title}</p>
                        <p className="truncate font-mono text-[11px] text-slate-500">{t.alert}</p>
                        {lacks.length > 0 && <p className="text-[11px] text-amber-700 dark:text-amber-300">This Prometheus has no {lacks.join(", ")}</p>}
                      </div>
                      <button type="button" onClick={() => onAdd(t.id)} className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700" data-testid={`add-${t.id}`}>
                        Add
                      </button>
                    </li>
                  );
                })}
            </ul>
          </li>
        ))}
      </ul>
      {shown.length === 0 && <p className="text-sm text-slate-500">No template matches.</p>}
    </section>
  );
}
