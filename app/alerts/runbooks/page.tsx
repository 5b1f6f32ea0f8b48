import { TEMPLATES } from "@/lib/alerts/templates";
import { AREAS } from "@/lib/alerts/templates/types";

export const metadata = { title: "Runbooks · apiscope" };

/** The runbook of every alert template: where a template's `runbook_url` annotation points (…/alerts/runbooks#<id>). */
export default function RunbooksPage() {
  return (
    <div className="flex max-w-4xl flex-col gap-4">
      <h1 className="text-lg font-semibold">Runbooks of the alert templates</h1>
      {AREAS.map((area) => (
        <section key={area.id} className="flex flex-col gap-3">
          <h2 className="text-base font-semibold">{area.title}</h2>
          {TEMPLATES.filter((t) => t.area === area.id).map((t) => (
            <article key={t.id} id={t.id} className="scroll-mt-16 rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-runbook={t.id}>
              <h3 className="font-mono text-sm font-semibold">{t.alert}</h3>
              <p className="text-sm text-slate-600 dark:text-slate-400">{t.title}</p>
              <p className="mt-2 whitespace-pre-line text-sm">{t.runbook}</p>
              <p className="mt-2 text-xs text-slate-500">Sources: {t.sources.join("; ")}</p>
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}
