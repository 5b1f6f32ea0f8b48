import { Suspense } from "react";
import { LoadView } from "@/components/load/LoadView";
import { LOAD_PANELS } from "@/lib/registry/panels";

// Only the panels' names travel to the browser; their PromQL is built on the server.
const PANELS = LOAD_PANELS.map(({ id, title, description }) => ({ id, title, description }));

export default function LoadPage() {
  return (
    <Suspense fallback={<div className="text-sm text-slate-500">Loading…</div>}>
      <LoadView prometheusPanels={PANELS} />
    </Suspense>
  );
}
